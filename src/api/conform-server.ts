import { writeServerReport, type ServerReportFiles } from '../conform/server/report.ts';
import { runServerSuite, type ServerSuiteOptions, type ServerSuiteResult } from '../conform/server/suite.ts';

export interface ConformServerOptions extends Omit<ServerSuiteOptions, 'tokens'> {
  /** Two different users' bearer tokens. */
  tokens: readonly [string, string];
  /** When given, conformance.md, conformance.json and junit.xml are written there. */
  out?: string;
}

export interface ConformServerResult extends ServerSuiteResult {
  files?: ServerReportFiles;
}

/**
 * The API conformance suite of SPEC §4 against a running server, for a team's own test
 * suite: `(await conformServer({ url, tokens: [a, b] })).ok`. Rejects with a
 * ServerSuiteError when the server cannot be reached or a token is refused.
 */
export async function conformServer(options: ConformServerOptions): Promise<ConformServerResult> {
  const result = await runServerSuite(options);
  if (options.out === undefined) return result;
  return { ...result, files: writeServerReport(options.out, result) };
}
