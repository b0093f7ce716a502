// A component that re-renders only when one of its props changed (by
// identity), as preact/compat's memo does, without pulling compat into the
// bundle. A scroll step re-renders the message list; the rows it already
// had keep their DOM untouched and format no dates again.
import {
  Component,
  type ComponentType,
  type FunctionComponent,
  h,
} from "preact";

export function pure<P extends object>(
  render: FunctionComponent<P>,
): ComponentType<P> {
  class Pure extends Component<P> {
    static override displayName = `Pure(${render.name})`;
    override shouldComponentUpdate(next: Readonly<P>): boolean {
      const now = this.props as Record<string, unknown>;
      const after = next as Record<string, unknown>;
      for (const key in after) if (after[key] !== now[key]) return true;
      for (const key in now) if (!(key in after)) return true;
      return false;
    }
    override render(props: P) {
      return h(render, props);
    }
  }
  return Pure;
}
