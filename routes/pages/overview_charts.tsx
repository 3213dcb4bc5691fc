/**
 * Server-rendered SVG charts of the Overview (no script, no inline style:
 * colours come from classes in app.css, so the strict CSP holds): emails
 * per day stacked by outcome, and the automation rate per day.
 * @module
 */
import {
  type DayCounts,
  type Outcome,
  OUTCOMES,
} from "../../pipeline/dashboard/overview_stats.ts";

const W = 700;
const H = 220;
const PAD = { left: 36, right: 8, top: 10, bottom: 28 };

/** Outcome names on the page. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  answered: "answered",
  refund: "refund flow",
  review: "to a person",
  ignored: "ignored",
};

function xLabels(days: DayCounts[], step: number) {
  return days.map((d, i) =>
    i % 2 === 0
      ? (
        <text
          x={PAD.left + i * step + step / 2}
          y={H - 8}
          class="axis"
          text-anchor="middle"
        >
          {d.day.slice(5)}
        </text>
      )
      : null
  );
}

/** Emails per day, one stacked bar per day. */
export function OutcomeBars(p: { days: DayCounts[] }) {
  const max = Math.max(
    1,
    ...p.days.map((d) => OUTCOMES.reduce((n, o) => n + d.counts[o], 0)),
  );
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / p.days.length;
  const bar = Math.max(4, step * 0.7);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      class="chart"
      role="img"
      aria-label="Emails per day by outcome"
    >
      <line
        x1={PAD.left}
        y1={H - PAD.bottom}
        x2={W - PAD.right}
        y2={H - PAD.bottom}
        class="axis-line"
      />
      <text x={PAD.left - 6} y={PAD.top + 8} class="axis" text-anchor="end">
        {String(max)}
      </text>
      <text x={PAD.left - 6} y={H - PAD.bottom} class="axis" text-anchor="end">
        0
      </text>
      {p.days.map((d, i) => {
        let y = H - PAD.bottom;
        const x = PAD.left + i * step + (step - bar) / 2;
        return (
          <g>
            {OUTCOMES.map((o) => {
              const h = (d.counts[o] / max) * plotH;
              if (h === 0) return null;
              y -= h;
              return (
                <rect x={x} y={y} width={bar} height={h} class={`o-${o}`}>
                  <title>
                    {`${d.day}: ${d.counts[o]} ${OUTCOME_LABELS[o]}`}
                  </title>
                </rect>
              );
            })}
          </g>
        );
      })}
      {xLabels(p.days, step)}
    </svg>
  );
}

/** The automation rate per day (days without email are gaps). */
export function AutomationLine(p: { days: DayCounts[] }) {
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / p.days.length;
  const points = p.days.flatMap((d, i) =>
    d.automationRate === null ? [] : [{
      x: PAD.left + i * step + step / 2,
      y: H - PAD.bottom - d.automationRate * plotH,
      d,
    }]
  );
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      class="chart"
      role="img"
      aria-label="Automation rate per day"
    >
      {[0, 0.5, 1].map((v) => (
        <>
          <line
            x1={PAD.left}
            y1={H - PAD.bottom - v * plotH}
            x2={W - PAD.right}
            y2={H - PAD.bottom - v * plotH}
            class={v === 0 ? "axis-line" : "grid-line"}
          />
          <text
            x={PAD.left - 6}
            y={H - PAD.bottom - v * plotH + 4}
            class="axis"
            text-anchor="end"
          >
            {`${Math.round(v * 100)}%`}
          </text>
        </>
      ))}
      {points.length > 1
        ? (
          <polyline
            points={points.map((q) => `${q.x},${q.y}`).join(" ")}
            class="rate-line"
          />
        )
        : null}
      {points.map((q) => (
        <circle cx={q.x} cy={q.y} r="4" class="rate-dot">
          <title>
            {`${q.d.day}: ${Math.round((q.d.automationRate ?? 0) * 100)}%`}
          </title>
        </circle>
      ))}
      {xLabels(p.days, step)}
    </svg>
  );
}
