/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and summarizes it: the
 * functions and the packages/files with the most self time, and folded stacks
 * (`a;b;c <samples>`, the input of flamegraph.pl, speedscope or inferno).
 */
import fs from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

function where(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, "");
  const nm = url.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return url;
  const src = url.indexOf("/src/");
  if (src !== -1) return url.slice(src + 1);
  const bench = url.indexOf("/scripts/bench/");
  if (bench !== -1) return url.slice(bench + 1);
  return url || `(${frame.functionName || "native"})`;
}

function label(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  return `${name} ${where(frame)}:${frame.lineNumber + 1}`;
}

export interface ProfileSummary {
  totalMs: number;
  topFunctions: { name: string; selfMs: number; selfPct: number }[];
  topPlaces: { place: string; selfMs: number; selfPct: number }[];
  folded: string;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totalSamples = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalMs / totalSamples;

  const selfByName = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const name = label(node.callFrame);
    selfByName.set(name, (selfByName.get(name) ?? 0) + hits);
    const place = node.callFrame.url ? where(node.callFrame) : `(${node.callFrame.functionName || "native"})`;
    selfByPlace.set(place, (selfByPlace.get(place) ?? 0) + hits);
  }

  const folded: string[] = [];
  const root = profile.nodes[0];
  const walk = (node: ProfileNode, stack: string[]) => {
    const here = [...stack, label(node.callFrame).replace(/;/g, ",")];
    if (node.hitCount) folded.push(`${here.join(";")} ${node.hitCount}`);
    for (const child of node.children ?? []) {
      const next = byId.get(child);
      if (next) walk(next, here);
    }
  };
  if (root) walk(root, []);

  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, hits]) => ({ key, selfMs: hits * msPerSample, selfPct: (100 * hits) / totalSamples }));
  return {
    totalMs,
    topFunctions: rank(selfByName).map(({ key, ...rest }) => ({ name: key, ...rest })),
    topPlaces: rank(selfByPlace).map(({ key, ...rest }) => ({ place: key, ...rest })),
    folded: folded.join("\n") + "\n",
  };
}
