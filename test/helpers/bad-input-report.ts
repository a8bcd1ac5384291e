/**
 * What the bad-input test found, as a reader wants it: findings grouped by operation, problem and kind
 * of input (each group with its count, the places it was seen and its smallest example), and a table
 * of what each operation was sent and how it answered.
 */
export interface Finding {
  operationId: string;
  problem: string;
  kind: string;
  where: string;
  request: string;
  answer: string;
  /** Bytes of the request, to pick the smallest example of a group. */
  size: number;
}

export interface OperationTally {
  sent: number;
  rejected: number;
  accepted: number;
  /** Requests the contract forbids (by the oracle), every one of which must be refused. */
  forbidden: number;
  ms: number;
}

export interface FindingGroup {
  key: string;
  count: number;
  wheres: string[];
  example: Finding;
}

export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, { key: string; count: number; wheres: Set<string>; example: Finding }>();
  for (const f of findings) {
    const key = `${f.operationId} · ${f.problem} · ${f.kind}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { key, count: 1, wheres: new Set([f.where]), example: f });
    else {
      g.count++;
      g.wheres.add(f.where);
      if (f.size < g.example.size) g.example = f;
    }
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)).map((g) => ({ ...g, wheres: [...g.wheres] }));
}

export function formatReport(groups: FindingGroup[]): string {
  return groups
    .map((g) => {
      const wheres = `${g.wheres.slice(0, 6).join(", ")}${g.wheres.length > 6 ? ", …" : ""}`;
      return `✖ ${g.key} — ${g.count}× at ${wheres}\n    e.g. ${g.example.request}\n      → ${g.example.answer}`;
    })
    .join("\n");
}

export function formatTally(tally: Map<string, OperationTally>, overhead: Record<string, number>): string {
  const columns: (keyof OperationTally)[] = ["sent", "rejected", "accepted", "forbidden", "ms"];
  const row = (name: string, t: OperationTally | Record<keyof OperationTally, string>) =>
    `${name.padEnd(30)}${columns.map((c) => String(t[c]).padStart(10)).join("")}`;
  const total = Object.fromEntries(
    columns.map((c) => [c, [...tally.values()].reduce((n, t) => n + t[c], 0)]),
  ) as unknown as OperationTally;
  return [
    row("operation", Object.fromEntries(columns.map((c) => [c, c])) as Record<keyof OperationTally, string>),
    ...[...tally.entries()].map(([op, t]) => row(op, t)),
    row("total", total),
    `of which ms waiting for runs, reading snapshots, checking fixtures, sweeping: ${JSON.stringify(overhead)}`,
  ].join("\n");
}
