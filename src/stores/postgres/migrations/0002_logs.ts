/** The Postgres tables of the stream log, the journal, feedback, API keys, crons. */
export const name = "0002_logs";

export const up = /* sql */ `
`;
