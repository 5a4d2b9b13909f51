// A page of a list as the API returns it, as this client's own adds change it.

export type Page<T> = { items: T[]; next_cursor: string | null };

/** `page` holding `item` once, first or last: a load that reached the API after the add already holds it. */
export function withItem<T extends { id: string }>(page: Page<T> | undefined, item: T, at: "first" | "last"): Page<T> {
  const others = (page?.items ?? []).filter((shown) => shown.id !== item.id);
  return { items: at === "first" ? [item, ...others] : [...others, item], next_cursor: page?.next_cursor ?? null };
}
