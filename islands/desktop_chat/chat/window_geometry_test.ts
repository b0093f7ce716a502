import assert from "node:assert/strict";
import {
  clampPosition,
  defaultPosition,
  dragPosition,
  EDGE,
  frameSize,
  isDrag,
} from "./window_geometry.ts";

const desktop = { width: 1366, height: 768 };
const phone = { width: 400, height: 700 };

Deno.test("frame size", async (t) => {
  await t.step("normal and large on a desktop", () => {
    assert.deepEqual(frameSize("normal", desktop), { width: 360, height: 460 });
    assert.deepEqual(frameSize("large", desktop), { width: 560, height: 640 });
  });
  await t.step("never the whole viewport", () => {
    const large = frameSize("large", phone);
    assert.equal(large.width, phone.width - 2 * EDGE);
    assert.equal(large.height, 640);
    const tiny = frameSize("large", { width: 300, height: 200 });
    assert.deepEqual(tiny, { width: 300 - 2 * EDGE, height: 200 - 2 * EDGE });
  });
  await t.step("a viewport smaller than the edges gives an empty frame", () => {
    assert.deepEqual(frameSize("normal", { width: 10, height: 10 }), {
      width: 0,
      height: 0,
    });
  });
});

Deno.test("position", async (t) => {
  const frame = { width: 360, height: 460 };
  await t.step("starts at the bottom right", () => {
    assert.deepEqual(defaultPosition(frame, desktop), {
      x: 1366 - 360 - 2 * EDGE,
      y: 768 - 460 - 2 * EDGE,
    });
  });
  await t.step("docked left of the panel when both fit", () => {
    assert.deepEqual(defaultPosition(frame, desktop, 368), {
      x: 1366 - 360 - 2 * EDGE - 368,
      y: 768 - 460 - 2 * EDGE,
    });
    assert.deepEqual(
      defaultPosition(frame, phone, 368),
      defaultPosition(frame, phone),
    );
  });
  await t.step("centred when the viewport is hardly wider", () => {
    assert.deepEqual(defaultPosition(frame, phone), { x: 20, y: 700 - 476 });
  });
  await t.step("dragging past any edge stops at the edge", () => {
    const start = { x: 100, y: 100 };
    assert.deepEqual(
      dragPosition(start, { x: -500, y: -500 }, frame, desktop),
      {
        x: EDGE,
        y: EDGE,
      },
    );
    assert.deepEqual(
      dragPosition(start, { x: 5000, y: 5000 }, frame, desktop),
      {
        x: 1366 - 360 - EDGE,
        y: 768 - 460 - EDGE,
      },
    );
    assert.deepEqual(
      dragPosition(start, { x: 10.4, y: -20.6 }, frame, desktop),
      {
        x: 110,
        y: 79,
      },
    );
  });
  await t.step("a viewport shrinking under the window pulls it back in", () => {
    const at = { x: 1000, y: 300 };
    assert.deepEqual(clampPosition(at, frame, { width: 800, height: 600 }), {
      x: 800 - 360 - EDGE,
      y: 600 - 460 - EDGE,
    });
  });
  await t.step("a frame wider than the viewport sits at the left edge", () => {
    assert.equal(clampPosition({ x: 50, y: 50 }, frame, phone).x, 32);
    assert.equal(
      clampPosition({ x: 50, y: 50 }, { width: 500, height: 100 }, phone).x,
      EDGE,
    );
  });
});

Deno.test("a press becomes a drag after a few pixels", () => {
  assert.equal(isDrag({ x: 1, y: 2 }), false);
  assert.equal(isDrag({ x: 3, y: -1 }), true);
  assert.equal(isDrag({ x: 0, y: -4 }), true);
});
