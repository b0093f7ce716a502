// Finding a message row of the element, and the first frame that shows it,
// for the chat bench's in-page probe (chat_probe.ts).

// The element's DOM contract (/tmp/common.md): the message list and its rows.
export const LOG = '[role="log"].message-list';
const ROW = "[data-message-id]";

/** Which message row to wait for. */
export interface RowMatch {
  /** The stanza id (`data-message-id`). */
  readonly id?: string;
  /** Or the exact text of its `.message-body`. */
  readonly body?: string;
  readonly direction?: "in" | "out";
}

function isMatch(row: Element, match: RowMatch): row is HTMLElement {
  if (!(row instanceof HTMLElement) || !row.matches(ROW)) return false;
  if (match.direction && row.dataset.direction !== match.direction) {
    return false;
  }
  return match.id !== undefined
    ? row.dataset.messageId === match.id
    : row.querySelector(".message-body")?.textContent === match.body;
}

export function findRow(
  root: ShadowRoot,
  match: RowMatch,
): HTMLElement | undefined {
  const selector = match.id !== undefined
    ? `${ROW}[data-message-id="${CSS.escape(match.id)}"]`
    : ROW;
  for (const row of root.querySelectorAll(selector)) {
    if (isMatch(row, match)) return row;
  }
  return undefined;
}

/**
 * The matching row among what the records changed; looks only there, so
 * the probe adds next to nothing to the page it measures.
 */
function changedRow(
  records: readonly MutationRecord[],
  match: RowMatch,
): HTMLElement | undefined {
  for (const record of records) {
    const target = record.target instanceof Element
      ? record.target
      : record.target.parentElement;
    const around = target?.closest(ROW);
    if (around && isMatch(around, match)) return around;
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      if (isMatch(node, match)) return node;
      for (const row of node.querySelectorAll(ROW)) {
        if (isMatch(row, match)) return row;
      }
    }
  }
  return undefined;
}

/** Laid out inside the visible part of its message list. */
function shown(row: HTMLElement): boolean {
  const log = row.closest(LOG);
  if (!log) return false;
  const r = row.getBoundingClientRect();
  const l = log.getBoundingClientRect();
  return r.height > 0 && r.bottom > l.top && r.top < l.bottom;
}

/**
 * Page time after the first frame that shows the row: waits for the row to
 * enter the DOM (MutationObserver), then checks it at each frame's rAF,
 * before that frame's layout and paint, which the checking forces no earlier
 * than the frame would; resolves from a task queued there, after the frame.
 */
export function rowShown(root: ShadowRoot, match: RowMatch): Promise<number> {
  return new Promise((resolve) => {
    let watching = false;
    let found: HTMLElement | undefined;
    const watch = () => {
      if (watching) return;
      watching = true;
      observer.disconnect();
      const check = () => {
        // A row the list replaced is looked for again.
        const row = found?.isConnected && isMatch(found, match)
          ? found
          : (found = findRow(root, match));
        if (row && shown(row)) {
          setTimeout(() => {
            // For chat_profile.ts's trace; a mark costs microseconds.
            resolve(performance.mark("chat-bench:painted").startTime);
          }, 0);
        } else {
          requestAnimationFrame(check);
        }
      };
      requestAnimationFrame(check);
    };
    const observer = new MutationObserver((records) => {
      found = changedRow(records, match);
      if (found) watch();
    });
    observer.observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["data-message-id"],
    });
    found = findRow(root, match);
    if (found) watch();
  });
}
