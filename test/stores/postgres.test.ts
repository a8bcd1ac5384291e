/**
 * The store conformance suite against the Postgres backend (src/stores/postgres/), each test on a
 * fresh schema of its own in the database THREADGATE_TEST_POSTGRES_URL names (default: this machine's
 * `postgres://postgres@127.0.0.1:5432/test`), dropped after it. Without a Postgres there the file says
 * so and skips, unless THREADGATE_REQUIRE_POSTGRES=1 (CI), which makes it fail instead.
 */
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresStores, type PostgresStores } from "../../src/stores/postgres/index.ts";
import { MIGRATIONS } from "../../src/stores/postgres/migrations.ts";
import { describeStoreConformance } from "./conformance/index.ts";
import { dropSchema, POSTGRES_URL as URL, skipWithoutPostgres } from "../helpers/postgres.ts";

const skip = await skipWithoutPostgres("postgres store conformance");
let counter = 0;
const schemas: string[] = [];

if (skip) {
  describe.skip(`postgres store conformance (no Postgres at ${URL})`, () => {
    it("needs a Postgres", () => {});
  });
} else {
  describeStoreConformance(
    "postgres",
    async () => {
      const schema = `tg_test_${process.pid}_${++counter}`;
      schemas.push(schema);
      return openPostgresStores({ url: URL, schema, maxConnections: 4 });
    },
    {
      // A second pool on the same schema, as a second process.
      twin: (stores) => openPostgresStores({ url: URL, schema: (stores as PostgresStores).schema, maxConnections: 4 }),
    },
  );
  describe("postgres specifics", () => {
    it("makes its schema and applies each migration once when three processes open it at once", async () => {
      const schema = `tg_test_${process.pid}_${++counter}`;
      schemas.push(schema);
      const opened = await Promise.all(
        [1, 2, 3].map(() => openPostgresStores({ url: URL, schema, maxConnections: 2 })),
      );
      try {
        const { rows } = await opened[0].pool.query<{ name: string }>(
          "SELECT name FROM schema_migrations ORDER BY name",
        );
        expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
        const tables = await opened[1].pool.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
          [schema],
        );
        // LangGraph's own Postgres checkpointer has its tables in the same schema.
        expect(tables.rows.map((r) => r.table_name)).toEqual(
          expect.arrayContaining(["checkpoints", "checkpoint_writes"]),
        );
      } finally {
        await Promise.all(opened.map((s) => s.close()));
      }
    });
  });

  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
}
