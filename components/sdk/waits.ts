// What a resource waits for besides its inputs (its dependsOn): resources known as the program
// builds, or a promise of them where the answer comes from the cloud first (an API that was
// already on needs no wait). The SDK awaits a promise there before it registers the resource.
import type * as pulumi from "@pulumi/pulumi";

export type Waits = readonly pulumi.Resource[] | Promise<pulumi.Resource[]>;

/**
 * The dependsOn option for everything the given waits wait for: a list when each is known, else
 * a promise of the list.
 */
export function dependsOnAll(
  ...waits: readonly (Waits | undefined)[]
): pulumi.Resource[] | Promise<pulumi.Resource[]> {
  const lists = waits.map((wait) => wait ?? []);
  const known = lists.filter((list): list is readonly pulumi.Resource[] => Array.isArray(list));
  if (known.length === lists.length) return known.flat();
  return Promise.all(lists).then((all) => all.flat());
}
