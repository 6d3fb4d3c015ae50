/**
 * One user's todo list: a Durable Object (one per `sub`, `idFromName`) with its own SQLite database. Every method is
 * a single SQL statement run synchronously inside the object, so concurrent requests cannot lose each other's writes.
 */
import { DurableObject } from "cloudflare:workers";

/** The spec's `Todo` schema. */
export interface Todo {
  id: string;
  text: string;
  completed: boolean;
  createdAt: string;
}

type TodoRow = { id: string; text: string; completed: number; created_at: string };

// `seq` orders the list by creation: AUTOINCREMENT never reuses a value, so it rises even across deletes and ties
// between todos created within the same millisecond (the clock does not advance during a request) stay stable.
const SCHEMA = `CREATE TABLE IF NOT EXISTS todos (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
  created_at TEXT NOT NULL
)`;
const COLUMNS = "id, text, completed, created_at";

export class TodoList extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Synchronous, and it runs before any request reaches the object.
    this.sql.exec(SCHEMA);
  }

  /** The todos, oldest first; only those with the given completed state when `completed` is set. */
  list(completed?: boolean): Todo[] {
    const rows = completed === undefined
      ? this.sql.exec<TodoRow>(`SELECT ${COLUMNS} FROM todos ORDER BY seq`)
      : this.sql.exec<TodoRow>(`SELECT ${COLUMNS} FROM todos WHERE completed = ? ORDER BY seq`, completed ? 1 : 0);
    return rows.toArray().map(toTodo);
  }

  create(text: string): Todo {
    const row = this.sql
      .exec<TodoRow>(
        `INSERT INTO todos (id, text, completed, created_at) VALUES (?, ?, 0, ?) RETURNING ${COLUMNS}`,
        crypto.randomUUID(),
        text,
        new Date().toISOString(),
      )
      .one();
    return toTodo(row);
  }

  get(id: string): Todo | null {
    const row = this.sql.exec<TodoRow>(`SELECT ${COLUMNS} FROM todos WHERE id = ?`, id).toArray()[0];
    return row === undefined ? null : toTodo(row);
  }

  /** The updated todo, or null if there is none with this id. */
  setCompleted(id: string, completed: boolean): Todo | null {
    const row = this.sql
      .exec<TodoRow>(`UPDATE todos SET completed = ? WHERE id = ? RETURNING ${COLUMNS}`, completed ? 1 : 0, id)
      .toArray()[0];
    return row === undefined ? null : toTodo(row);
  }

  /** Whether a todo with this id existed (and is now gone). */
  remove(id: string): boolean {
    return this.sql.exec(`DELETE FROM todos WHERE id = ? RETURNING id`, id).toArray().length > 0;
  }
}

function toTodo(row: TodoRow): Todo {
  return { id: row.id, text: row.text, completed: row.completed === 1, createdAt: row.created_at };
}
