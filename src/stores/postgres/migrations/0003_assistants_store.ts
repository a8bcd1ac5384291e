/** The Postgres tables of assistants and their versions, the Store API's items and their vectors. */
export const name = "0003_assistants_store";

export const up = /* sql */ `
`;
