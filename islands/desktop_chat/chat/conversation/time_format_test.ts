import assert from "node:assert/strict";
import {
  dayLabel,
  endOfDay,
  fullLabel,
  isoLabel,
  startOfDay,
  timeLabel,
} from "./time_format.ts";

// Local dates, so the tests hold in any time zone.
const local = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(y, m - 1, d, h, min).getTime();

Deno.test("time format", async (t) => {
  const now = local(2026, 12, 5, 13, 30);

  await t.step("a day runs from local midnight to the next", () => {
    assert.equal(startOfDay(now), local(2026, 12, 5));
    assert.equal(endOfDay(now), local(2026, 12, 6));
    assert.equal(startOfDay(local(2026, 12, 5)), local(2026, 12, 5));
  });

  await t.step("today, yesterday, this week, this year, other years", () => {
    assert.equal(dayLabel(local(2026, 12, 5, 0, 1), now), "Today");
    assert.equal(dayLabel(local(2026, 12, 4, 23, 59), now), "Yesterday");
    const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long" });
    assert.equal(
      dayLabel(local(2026, 12, 1, 9), now),
      weekday.format(local(2026, 12, 1)),
    );
    const thisYear = dayLabel(local(2026, 11, 28, 9), now);
    assert.doesNotMatch(thisYear, /2026/);
    assert.match(thisYear, /28/);
    assert.match(dayLabel(local(2025, 12, 24, 9), now), /2025/);
  });

  await t.step("a message stamped in the future gets its date", () => {
    assert.match(dayLabel(local(2026, 12, 9, 9), now), /9/);
    assert.notEqual(dayLabel(local(2026, 12, 9, 9), now), "Today");
  });

  await t.step("times show hours and minutes; the tooltip the date", () => {
    assert.match(timeLabel(local(2026, 12, 5, 14, 5)), /0?2|14/);
    assert.match(timeLabel(local(2026, 12, 5, 14, 5)), /05/);
    assert.match(fullLabel(local(2026, 12, 5, 14, 5)), /2026/);
  });

  await t.step("an impossible time gives empty labels, never throws", () => {
    for (const at of [NaN, Infinity, -Infinity, 8.64e15 + 1, -9e15]) {
      assert.equal(timeLabel(at), "");
      assert.equal(fullLabel(at), "");
      assert.equal(isoLabel(at), "");
      assert.equal(dayLabel(at, now), "Unknown date");
    }
    assert.equal(isoLabel(0), "1970-01-01T00:00:00.000Z");
  });
});
