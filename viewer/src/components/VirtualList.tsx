import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  count: number;
  rowHeight: number;
  height: number;
  row: (index: number) => ReactNode;
  /** A row to keep in view (the playhead's). */
  follow?: number;
  className?: string;
  label?: string;
}

/** Renders only the rows in view, so lists of 100,000 events or 20,000 tasks stay cheap. */
export function VirtualList({ count, rowHeight, height, row, follow, className, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    const element = box.current;
    if (!element || follow === undefined || follow < 0) return;
    const top = follow * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + height) {
      element.scrollTop = Math.max(0, top - height / 2);
      setScrollTop(element.scrollTop);
    }
  }, [follow, rowHeight, height]);

  // The list may have shrunk since the last scroll event: never start past its end.
  const top = Math.min(scrollTop, Math.max(0, count * rowHeight - height));
  const first = Math.max(0, Math.floor(top / rowHeight) - 5);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + 5);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {row(i)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className={`vlist ${className ?? ''}`}
      style={{ height }}
      aria-label={label}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div style={{ height: count * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
