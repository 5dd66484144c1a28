import { TASK_NAME, TASK_SHAPE } from './created-tasks.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import type { Fields, Reader } from './read.ts';
import type { StepKindTable } from './step-kind.ts';
import { str } from './yaml-text.ts';

/** The writes a user makes on a device: the steps that create, change and delete tasks. */
export const USER_STEP_KINDS = {
  create: {
    key: 'create',
    device: true,
    example: 'device: phone, create: { task: t1, title: "Buy milk", completed: false }',
    read(value, start, { read: r, tasks }) {
      const f = r.map(value, 'create', ['task', 'title', 'completed']);
      if (!f) return undefined;
      const task = tasks.taskName(f, 'create');
      const titleNode = f.required('title');
      const title = titleNode && r.string(titleNode, 'title');
      const completed = optionalBoolean(r, f, 'completed');
      if (task === undefined || title === undefined) return undefined;
      return { ...start, kind: 'create', task, title, ...(completed !== undefined && { completed }) };
    },
    write: (step) => `{ task: ${str(step.task)}, title: ${JSON.stringify(step.title)}${step.completed !== undefined ? `, completed: ${step.completed}` : ''} }`,
  },
  createMany: {
    key: 'createMany',
    device: true,
    example: 'device: ipad, createMany: { task: batch, count: 3, title: "Imported" }',
    read(value, start, { read: r, tasks }) {
      const f = r.map(value, 'createMany', ['task', 'count', 'title']);
      if (!f) return undefined;
      const countNode = f.required('count');
      const count = countNode && r.number(countNode, 'count', { integer: true, positive: true });
      const prefixNode = f.required('task');
      const prefix = prefixNode && r.name(prefixNode, 'createMany.task', TASK_NAME, TASK_SHAPE);
      const titleNode = f.get('title');
      const title = titleNode ? r.string(titleNode, 'title') : prefix;
      if (count === undefined || prefix === undefined || title === undefined || prefixNode === undefined) return undefined;
      if (count > tasks.room) {
        r.issues.add(countNode!.pos, `createMany.count ${count} would create more than ${SCENARIO_LIMITS.tasks} tasks in the scenario (${tasks.room} left)`);
        return undefined;
      }
      for (let i = 1; i <= count; i++) tasks.register(`${prefix}-${i}`, prefixNode.pos);
      return { ...start, kind: 'createMany', task: prefix, count, title };
    },
    write: (step) => `{ task: ${str(step.task)}, count: ${step.count}, title: ${JSON.stringify(step.title)} }`,
  },
  update: {
    key: 'update',
    device: true,
    example: 'device: ipad, update: { task: t1, title: "Buy oat milk", completed: true }',
    read(value, start, { read: r, tasks }) {
      const f = r.map(value, 'update', ['task', 'title', 'completed']);
      if (!f) return undefined;
      const task = tasks.taskName(f, 'update');
      const titleNode = f.get('title');
      const title = titleNode && r.string(titleNode, 'title');
      const completed = optionalBoolean(r, f, 'completed');
      if (!f.has('title') && !f.has('completed')) r.issues.add(f.pos, `update changes nothing; give title and/or completed`);
      if (task === undefined) return undefined;
      return { ...start, kind: 'update', task, ...(title !== undefined && { title }), ...(completed !== undefined && { completed }) };
    },
    write(step) {
      const fields = [`task: ${str(step.task)}`];
      if (step.title !== undefined) fields.push(`title: ${JSON.stringify(step.title)}`);
      if (step.completed !== undefined) fields.push(`completed: ${step.completed}`);
      return `{ ${fields.join(', ')} }`;
    },
  },
  delete: {
    key: 'delete',
    device: true,
    example: 'device: phone, delete: { task: t1 }',
    read(value, start, { read: r, tasks }) {
      const f = r.map(value, 'delete', ['task']);
      const task = f && tasks.taskName(f, 'delete');
      return task === undefined ? undefined : { ...start, kind: 'delete', task };
    },
    write: (step) => `{ task: ${str(step.task)} }`,
  },
} satisfies StepKindTable<'create' | 'createMany' | 'update' | 'delete'>;

function optionalBoolean(r: Reader, f: Fields, key: string): boolean | undefined {
  const node = f.get(key);
  return node && r.boolean(node, key);
}
