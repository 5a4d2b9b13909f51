// Every conversion between the API's units and the person's (preferences.units: metric or
// imperial) in one place: weights kg/lb, height cm/in, distance km/mi. The API stores weights as
// given (with their unit), height in cm and distances in metres; screens show and take the
// preference's unit and convert here.

export type Units = "metric" | "imperial" | string;

export const KG_PER_LB = 0.45359237;
export const CM_PER_IN = 2.54;
export const M_PER_MI = 1609.344;

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

export function weightUnit(units: Units): "kg" | "lb" {
  return units === "imperial" ? "lb" : "kg";
}

/** A weight in another unit, to `places` decimals. */
export function convertWeight(value: number, from: "kg" | "lb", to: "kg" | "lb", places = 1): number {
  if (from === to) return round(value, places);
  return round(from === "kg" ? value / KG_PER_LB : value * KG_PER_LB, places);
}

export function heightUnit(units: Units): "cm" | "in" {
  return units === "imperial" ? "in" : "cm";
}

/** The height the API stores (cm) as the form shows it, in the preference's unit. */
export function shownHeight(heightCm: number | null | undefined, units: Units): string {
  if (heightCm === null || heightCm === undefined) return "";
  return String(heightUnit(units) === "in" ? round(heightCm / CM_PER_IN, 1) : heightCm);
}

/** The height a form took, in the preference's unit, as the API stores it (cm, 1 decimal). */
export function heightCm(shown: number, units: Units): number {
  return heightUnit(units) === "in" ? round(shown * CM_PER_IN, 1) : round(shown, 1);
}

/** The API's height bounds (50-272 cm) in the preference's unit. */
export function heightBounds(units: Units): [number, number] {
  return heightUnit(units) === "in" ? [round(50 / CM_PER_IN + 0.05, 1), round(272 / CM_PER_IN - 0.05, 1)] : [50, 272];
}

export function distanceUnit(units: Units): "km" | "mi" {
  return units === "imperial" ? "mi" : "km";
}

/** A distance the API stores (metres) in the preference's unit, to 2 decimals. */
export function shownDistance(metres: number, units: Units): number {
  return round(metres / (distanceUnit(units) === "mi" ? M_PER_MI : 1000), 2);
}

/** A distance a form took, in the preference's unit, as the API stores it (metres, 1 decimal). */
export function distanceMetres(shown: number, units: Units): number {
  return round(shown * (distanceUnit(units) === "mi" ? M_PER_MI : 1000), 1);
}
