import { useMemo, useRef, useState } from 'react';
import { TaskSearch } from '../model/task-search.ts';
import { formatCount } from './format.ts';
import { VirtualList } from './VirtualList.tsx';

interface Props {
  /** The task names, asked for when the list is first opened (they take a pass over the trace). */
  listTasks: () => readonly string[];
  /** The selected task, '' for all. */
  task: string;
  onTask: (task: string) => void;
}

const ROW = 22;

/** A search box over the trace's tasks: typing narrows the list, a click or Enter picks. */
export function TaskFilter({ listTasks, task, onTask }: Props) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const search = useMemo(() => (open ? new TaskSearch(listTasks()) : undefined), [open, listTasks]);
  const matches = useMemo(() => search?.match(query) ?? [], [search, query]);

  const pick = (next: string) => {
    onTask(next);
    box.current?.blur();
  };

  return (
    <span className="task-filter">
      <label>
        task{' '}
        <input
          ref={box}
          type="search"
          value={open ? query : task}
          placeholder="all tasks"
          aria-label="task filter"
          data-testid="task-search"
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setQuery('');
          }}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur();
            else if (event.key === 'Enter' && matches.length > 0) pick(matches[0]!);
          }}
        />
      </label>
      {task !== '' && <button type="button" onClick={() => onTask('')} title="show every task">all</button>}
      {open && (
        // Keeps the focus in the box while an option is clicked.
        <div className="task-options" onPointerDown={(event) => event.preventDefault()} data-testid="task-options">
          <p className="muted">{formatCount(matches.length)} of {formatCount(search?.tasks.length ?? 0)} tasks</p>
          <VirtualList
            count={matches.length}
            rowHeight={ROW}
            height={Math.min(264, matches.length * ROW + 2)}
            label="tasks"
            row={(i) => (
              <button type="button" className={`task-option mono ${matches[i] === task ? 'at' : ''}`} onClick={() => pick(matches[i]!)}>
                {matches[i]}
              </button>
            )}
          />
        </div>
      )}
    </span>
  );
}
