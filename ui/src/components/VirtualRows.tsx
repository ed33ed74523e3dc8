import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { Fragment, useEffect, useRef, type CSSProperties, type ReactNode, type RefObject } from "react";

/** The height of a virtualised grid's header row; the rows are placed below it. */
const HEADER_HEIGHT = 30;

/**
 * The virtualiser of a grid with a header row in its scroll element: `count` rows of `rowHeight`,
 * back at the top whenever `queryKey` (the search and filters shown) changes.
 */
export function useGridRows(
  count: number,
  scrollRef: RefObject<HTMLDivElement | null>,
  rowHeight: number,
  overscan: number,
  queryKey: string,
): Virtualizer<HTMLDivElement, Element> {
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    scrollMargin: HEADER_HEIGHT,
  });
  const firstQuery = useRef(true);
  useEffect(() => {
    if (firstQuery.current) {
      firstQuery.current = false;
      return;
    }
    // Only a new query moves the list; the virtualiser itself is stable.
    virtualizer.scrollToOffset(0);
  }, [queryKey]);
  return virtualizer;
}

/** Where a drawn row goes: its position, its grid row index (the header is row 1), its stripe. */
export interface RowFrame {
  ariaRowIndex: number;
  odd: boolean;
  style: CSSProperties;
}

interface VirtualRowsProps {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  className: string;
  /** The row at `index`, drawn in `frame`. */
  children: (index: number, frame: RowFrame) => ReactNode;
}

/**
 * The body of a virtualised grid: the rows on screen (and a few around), each placed where it
 * belongs. Rows are keyed by their slot among the rows drawn, not by what they show: scrolling
 * reuses the element of the row that left for the row that came, so tens of thousands of rows
 * scrolled through leave the web view's memory as it was (new elements each time grew it by tens
 * of MB that it never gave back).
 */
export function VirtualRows({ virtualizer, className, children }: VirtualRowsProps) {
  const items = virtualizer.getVirtualItems();
  return (
    <div role="rowgroup" className={className} style={{ height: virtualizer.getTotalSize() }}>
      {items.map((item) => (
        <Fragment key={item.index % items.length}>
          {children(item.index, {
            ariaRowIndex: item.index + 2,
            odd: item.index % 2 === 1,
            style: { height: item.size, transform: `translateY(${item.start - HEADER_HEIGHT}px)` },
          })}
        </Fragment>
      ))}
    </div>
  );
}
