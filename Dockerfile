# syntax=docker/dockerfile:1
#
# The email agent as one self-contained executable on a small runtime image.
#   docker build -t email-agent .
#   docker run --env-file .env -p 8000:8000 -v agent-data:/data email-agent
# Secrets never enter the image: .env and client_secret*.json are in
# .dockerignore; configuration comes from the environment at run time.

# ---- build: dependencies, then `deno task compile` -------------------------
FROM denoland/deno:2.9.6 AS build
WORKDIR /src

# Dependencies in their own layer: re-run only when deno.json or deno.lock change.
COPY deno.json deno.lock ./
RUN deno install --frozen

# Sources (see .dockerignore), then one executable that embeds the knowledge
# base, the migrations, the sample orders and the classifier examples.
COPY . .
RUN deno task compile \
 && ./email-agent help > /dev/null \
 && mkdir -p /data

# ---- runtime: glibc + libstdc++ only, no shell, non-root -------------------
FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/email-agent /app/email-agent
# Plain copies too, so a mounted folder can replace them (KNOWLEDGE_BASE_DIR).
COPY --from=build /src/knowledge_base /app/knowledge_base
# The classifier reads its real-wording and background rows beside the examples file.
COPY --from=build /src/pipeline/classify/training/classify_examples.jsonl \
     /src/pipeline/classify/training/real_wording.jsonl \
     /src/pipeline/classify/training/background_english.jsonl \
     /app/pipeline/classify/training/
COPY --from=build --chown=65532:65532 /data /data

ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    USER_EXAMPLES_FILE=/data/my_examples.jsonl \
    LOG_FORMAT=json
USER 65532:65532
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/app/email-agent", "healthcheck"]
ENTRYPOINT ["/app/email-agent"]
CMD ["serve"]
