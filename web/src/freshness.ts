// The one guard of every screen that reads while the person changes things: an older answer
// never overwrites a newer one. A read takes a ticket when it starts; its answer is shown only if
// no later read started since (that one answers instead) and nothing was changed on this screen
// since (the answer may lack the change: the screen reads again). useLoad, the dashboard and the
// feed all use it.

export type Ticket = { readonly read: number; readonly edits: number };
export type Verdict = "show" | "superseded" | "again";

export class Freshness {
  private reads = 0;
  private edits = 0;

  /** A read starts. */
  begin(): Ticket {
    this.reads += 1;
    return { read: this.reads, edits: this.edits };
  }

  /** A change is shown here (saved, or on its way): reads started before it may lack it. */
  edited(): void {
    this.edits += 1;
  }

  /** What to do with the answer of the read that took `ticket`. */
  verdict(ticket: Ticket): Verdict {
    if (ticket.read !== this.reads) return "superseded";
    if (ticket.edits !== this.edits) return "again";
    return "show";
  }
}
