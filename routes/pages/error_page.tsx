/**
 * The error page: a title, what happened and what to do next.
 * @module
 */
import type { Child } from "hono/jsx";
import { Layout } from "./layout.tsx";

/** Props of `ErrorPage`. */
export interface ErrorPageProps {
  title: string;
  message: string;
  /** Steps or links that help the user recover. */
  children?: Child;
  csrf?: string;
}

/** A page explaining an error. */
export function ErrorPage(p: ErrorPageProps) {
  return (
    <Layout title={p.title} csrf={p.csrf}>
      <section class="card error">
        <p>{p.message}</p>
        {p.children}
      </section>
    </Layout>
  );
}
