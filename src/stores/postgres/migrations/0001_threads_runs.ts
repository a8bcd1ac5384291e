/** The Postgres tables of threads, runs (and what the run lifecycle writes). */
export const name = "0001_threads_runs";

export const up = /* sql */ `
`;
