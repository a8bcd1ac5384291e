/** How langgraph.json names a module and one of its exports (graphs, `auth.path`, `http.app`, `store.index.embed`). */
import path from "node:path";

/** A module and one of its exports, as langgraph.json writes it: `./path/to/file.ts:name` (default: `default`). */
export interface ModuleExport {
  /** Absolute path of the module. */
  file: string;
  exportName: string;
}

/** `./file.ts:name` resolved against `dir`; the export is after the last colon (not a Windows drive's). */
export function moduleExport(spec: string, dir: string): ModuleExport {
  const cut = spec.lastIndexOf(":");
  const hasExport = cut > 1;
  return {
    file: path.resolve(dir, hasExport ? spec.slice(0, cut) : spec),
    exportName: hasExport ? spec.slice(cut + 1) : "default",
  };
}
