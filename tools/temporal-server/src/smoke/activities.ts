// Activities used by the server's own smoke test.
import { Context } from '@temporalio/activity';

export async function greet(name: string): Promise<string> {
  return `hello ${name}`;
}

/** Fails on the first two attempts. */
export async function flaky(_name: string): Promise<number> {
  const { attempt } = Context.current().info;
  if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
  return attempt;
}
