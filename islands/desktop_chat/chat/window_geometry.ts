// Where the floating chat window sits and how big it is (seed "Chat Window":
// "You can move the chat window to any location on the screen but cannot
// maximize it to the full screen"). Pure: the view measures, this decides.

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The two frames the resize button switches between. */
export type FrameSize = "normal" | "large";

/** Gap kept between the window and every viewport edge. */
export const EDGE = 8;

const FRAMES: Readonly<Record<FrameSize, Size>> = {
  normal: { width: 360, height: 460 },
  large: { width: 560, height: 640 },
};

/**
 * The frame of `size` that fits `viewport`, never the whole of it: at least
 * EDGE stays free on each side, so the window is never full screen.
 */
export function frameSize(size: FrameSize, viewport: Size): Size {
  const frame = FRAMES[size];
  return {
    width: Math.max(0, Math.min(frame.width, viewport.width - 2 * EDGE)),
    height: Math.max(0, Math.min(frame.height, viewport.height - 2 * EDGE)),
  };
}

/** Moves `at` (the window's top-left) so that a `frame` there stays inside. */
export function clampPosition(at: Point, frame: Size, viewport: Size): Point {
  const maxX = Math.max(EDGE, viewport.width - frame.width - EDGE);
  const maxY = Math.max(EDGE, viewport.height - frame.height - EDGE);
  return {
    x: Math.round(Math.min(Math.max(at.x, EDGE), maxX)),
    y: Math.round(Math.min(Math.max(at.y, EDGE), maxY)),
  };
}

/**
 * Where a window first appears: at the bottom, docked left of `reserve`
 * pixels kept free on the right (the contacts panel under the launcher)
 * when the viewport is wide enough for both, else in the right corner.
 */
export function defaultPosition(
  frame: Size,
  viewport: Size,
  reserve = 0,
): Point {
  const right = viewport.width - frame.width - 2 * EDGE;
  const docked = right - reserve;
  const spare = viewport.width - frame.width;
  // A viewport hardly wider than the window: centred, not lopsided.
  const x = reserve > 0 && docked >= EDGE
    ? docked
    : spare < 8 * EDGE
    ? spare / 2
    : right;
  return clampPosition(
    {
      x,
      y: viewport.height - frame.height - 2 * EDGE,
    },
    frame,
    viewport,
  );
}

/** The position after dragging by `delta` from `start`, kept in the viewport. */
export function dragPosition(
  start: Point,
  delta: Point,
  frame: Size,
  viewport: Size,
): Point {
  return clampPosition(
    { x: start.x + delta.x, y: start.y + delta.y },
    frame,
    viewport,
  );
}

/** A pointer has to move this far before a press on the header is a drag. */
export const DRAG_THRESHOLD = 4;

export function isDrag(delta: Point): boolean {
  return Math.abs(delta.x) + Math.abs(delta.y) >= DRAG_THRESHOLD;
}
