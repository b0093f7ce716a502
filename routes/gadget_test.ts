import assert from "node:assert/strict";
import { fillTemplate } from "./gadget.ts";

Deno.test("fillTemplate", async (t) => {
  const values: Record<string, string> = {
    origin: "https://chat.example.com",
    odd: `a"b<c>&'`,
  };
  const valueOf = (key: string) => values[key];

  await t.step(
    "replaces every placeholder, spaces inside braces allowed",
    () => {
      assert.equal(
        fillTemplate(
          `<a href="{{origin}}/x">{{ origin }}</a>`,
          "T.xml",
          valueOf,
        ),
        `<a href="https://chat.example.com/x">https://chat.example.com</a>`,
      );
    },
  );

  await t.step("escapes values for an HTML attribute", () => {
    assert.equal(
      fillTemplate(`<a title="{{odd}}">`, "T.xml", valueOf),
      `<a title="a&#34;b&#60;c&#62;&#38;&#39;">`,
    );
  });

  await t.step("throws on an unknown placeholder, naming the template", () => {
    assert.throws(
      () => fillTemplate("{{nope}}", "T.xml", valueOf),
      /T\.xml: unknown placeholder \{\{nope\}\}/,
    );
  });
});
