// Test helper: a fetch Response's JSON body, loosely typed for assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response): Promise<any> => res.json()
