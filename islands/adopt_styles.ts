/**
 * Puts `css` into a shadow root. Constructed sheets are not inline styles,
 * so a strict style-src CSP on the host page leaves them alone; a <style> is
 * the fallback for older browsers.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  if (
    "adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
}
