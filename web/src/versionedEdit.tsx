// One stored version of an entry, changed with If-Match (a post, a comment, a history entry): a
// 412 (changed elsewhere since it was read) is shown with a reload, and the new version that
// reload brings closes what was open on the old one.

import { useEffect, useRef, useState } from "react";
import { ApiError } from "./api";
import { CHANGED_ELSEWHERE, changedElsewhere } from "./history";

export function useVersionedEdit(version: number, onNewVersion: () => void) {
  const [conflict, setConflict] = useState(false);
  const newVersion = useRef(onNewVersion);
  newVersion.current = onNewVersion;
  const shownVersion = useRef(version);
  useEffect(() => {
    if (shownVersion.current === version) return;
    shownVersion.current = version;
    setConflict(false);
    newVersion.current();
  }, [version]);

  /** A form's save: a 412 shows the conflict and fails the submit with no message of its own. */
  async function save<T>(saving: () => Promise<T>): Promise<T> {
    try {
      return await saving();
    } catch (caught) {
      if (changedElsewhere(caught)) {
        setConflict(true);
        throw new ApiError(412, "version_mismatch", "");
      }
      throw caught;
    }
  }

  /** A refused action's message (a delete): a 412 shows the conflict too. */
  function refused(caught: unknown, otherwise: (caught: unknown) => string | undefined): string | undefined {
    if (!changedElsewhere(caught)) return otherwise(caught);
    setConflict(true);
    return CHANGED_ELSEWHERE;
  }

  return { conflict, setConflict, save, refused };
}

/** The conflict, with the reload of `what` ("the feed", "the comments", "workouts"). */
export function ConflictAlert({ what, onReload }: { what: string; onReload: () => void }) {
  return (
    <div className="alert alert-error conflict" role="alert">
      <p>{CHANGED_ELSEWHERE}</p>
      <button type="button" className="secondary" onClick={onReload}>
        Reload<span className="visually-hidden"> {what}</span>
      </button>
    </div>
  );
}
