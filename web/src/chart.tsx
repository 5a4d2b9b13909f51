// The weight trend as hand-written SVG: each day's mean as a point, the 7-day moving average as
// a line, on a date axis from..to. A table of the same numbers follows for screen readers.

import { useCallback, useId, useRef, useState } from "react";
import type { WeightPoint } from "./types";

const PAD = { top: 16, right: 16, bottom: 32, left: 52 };

/** The figure's width in CSS pixels: the SVG is drawn at its real size, so text stays readable.
 * A callback ref: the figure appears only once there is a series to draw. */
function useWidth(): [(element: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(640);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    observer.current = new ResizeObserver(([entry]) => setWidth(Math.max(260, Math.round(entry.contentRect.width))));
    observer.current.observe(element);
  }, []);
  return [ref, width];
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

function niceStep(span: number): number {
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}

export function WeightChart({ series, unit, from, to }: { series: WeightPoint[]; unit: string; from: string; to: string }) {
  const id = useId();
  const [ref, WIDTH] = useWidth();
  const HEIGHT = Math.round(Math.min(300, Math.max(200, WIDTH * 0.42)));
  if (series.length === 0) {
    return (
      <p className="muted" data-testid="chart-empty">
        No weights from {from} to {to} yet. Log one below, or choose a longer period, to see your trend.
      </p>
    );
  }
  const values = series.flatMap((point) => [point.weight, point.moving_average_7d]);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 1) {
    low -= 0.5;
    high += 0.5;
  }
  const step = niceStep(high - low);
  low = Math.floor(low / step) * step;
  high = Math.ceil(high / step) * step;
  const first = dayNumber(from);
  const days = Math.max(1, dayNumber(to) - first);
  const x = (date: string) => PAD.left + ((dayNumber(date) - first) / days) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - (value - low) / (high - low)) * (HEIGHT - PAD.top - PAD.bottom);
  const ticks: number[] = [];
  for (let tick = low; tick <= high + step / 2; tick += step) ticks.push(Number(tick.toFixed(3)));
  const average = series.map((point) => `${x(point.date).toFixed(1)},${y(point.moving_average_7d).toFixed(1)}`).join(" ");
  const last = series[series.length - 1];

  return (
    <figure className="chart" ref={ref}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        data-testid="weight-chart"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>Weight trend, {from} to {to}</title>
        <desc id={`${id}-desc`}>
          {series.length} days with entries; latest {last.weight} {unit}, 7-day average {last.moving_average_7d} {unit}.
        </desc>
        {ticks.map((tick) => (
          <g key={tick} className="grid-line">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 8} className="axis-label">
          {from}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end" className="axis-label">
          {to}
        </text>
        <polyline className="moving-average" data-testid="moving-average" points={average} fill="none" />
        {series.map((point) => (
          <circle key={point.date} className="point" data-testid="weight-point" cx={x(point.date)} cy={y(point.weight)} r={5}>
            <title>
              {point.date}: {point.weight} {unit}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>
        <span className="legend-point" aria-hidden="true" /> daily weight ({unit}) <span className="legend-line" aria-hidden="true" /> 7-day moving
        average
      </figcaption>
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <table>
          <caption className="visually-hidden">Weight per day and 7-day moving average, in {unit}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Weight ({unit})</th>
              <th scope="col">7-day average ({unit})</th>
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.date}>
                <td>{point.date}</td>
                <td>{point.weight}</td>
                <td>{point.moving_average_7d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
