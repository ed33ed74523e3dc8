// Test-only: puts the app's style sheets into the jsdom document, for a test that checks a layout
// rule. Vitest does not load CSS files, so they are read from disk (paths from the ui folder, where
// the tests run).

interface NodeProcess {
  cwd: () => string;
  getBuiltinModule: (id: string) => unknown;
}

interface NodeFs {
  readFileSync: (path: string, encoding: "utf8") => string;
}

function nodeFs(): { fs: NodeFs; root: string } {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (process === undefined) throw new Error("the tests run under Node");
  return { fs: process.getBuiltinModule("node:fs") as NodeFs, root: process.cwd() };
}

/** Adds the style sheets at `paths` (e.g. `src/styles/base.css`) to the document; answers a function that takes them out. */
export function addStyleSheets(...paths: string[]): () => void {
  const { fs, root } = nodeFs();
  const style = document.createElement("style");
  style.textContent = paths.map((path) => fs.readFileSync(`${root}/${path}`, "utf8")).join("\n");
  document.head.appendChild(style);
  return () => style.remove();
}
