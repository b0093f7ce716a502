// Dragging the chat window by its header (seed: "You can move the chat
// window to any location on the screen"). A press that does not move is a
// click, which minimises or restores (seed: "Click the chat window header").
import type { TargetedPointerEvent } from "preact";
import { useRef } from "preact/hooks";
import { isDrag, type Point } from "./window_geometry.ts";

export interface WindowDrag {
  onPointerDown(event: TargetedPointerEvent<HTMLElement>): void;
  onPointerMove(event: TargetedPointerEvent<HTMLElement>): void;
  onPointerUp(event: TargetedPointerEvent<HTMLElement>): void;
  /** True once for the click that ends a drag, which must not toggle. */
  consumeDragClick(): boolean;
}

interface Press {
  readonly pointer: number;
  readonly from: Point;
  readonly start: Point;
  moved: boolean;
}

export function useWindowDrag(
  position: () => Point,
  moveTo: (at: Point) => void,
): WindowDrag {
  const press = useRef<Press | undefined>(undefined);
  const dragged = useRef(false);
  return {
    onPointerDown(event) {
      // The header's buttons are buttons, not handles.
      if (event.button !== 0 || (event.target as Element).closest("button")) {
        return;
      }
      press.current = {
        pointer: event.pointerId,
        from: { x: event.clientX, y: event.clientY },
        start: position(),
        moved: false,
      };
      // Moves outside the header (a fast drag) still reach it.
      event.currentTarget.setPointerCapture(event.pointerId);
    },
    onPointerMove(event) {
      const current = press.current;
      if (!current || current.pointer !== event.pointerId) return;
      const delta = {
        x: event.clientX - current.from.x,
        y: event.clientY - current.from.y,
      };
      if (!current.moved && !isDrag(delta)) return;
      current.moved = true;
      moveTo({ x: current.start.x + delta.x, y: current.start.y + delta.y });
    },
    onPointerUp(event) {
      const current = press.current;
      if (!current || current.pointer !== event.pointerId) return;
      press.current = undefined;
      dragged.current = current.moved;
      event.currentTarget.releasePointerCapture(event.pointerId);
    },
    consumeDragClick() {
      const was = dragged.current;
      dragged.current = false;
      return was;
    },
  };
}
