// Every problem with a rule file is reported as one of these: the message
// names the file and, where known, the line and column (`file:line:col: …`),
// the form editors and CI annotations understand.
export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';

  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    /** Extra lines shown under the message (e.g. the source line with a caret). */
    readonly excerpt?: string,
    /** The dotted key at fault (`rule.query`, `rule.risk_score`), when one is. */
    readonly key?: string,
  ) {
    const where = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
    super(excerpt ? `${where}: ${detail}\n${excerpt}` : `${where}: ${detail}`);
    this.where = where;
  }

  /** `file` or `file:line:column`. */
  readonly where: string;
}
