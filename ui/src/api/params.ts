/** Query parameters; arrays repeat the key, empty values are left out. */
export type Params = Readonly<Record<string, string | readonly string[] | undefined>>;
