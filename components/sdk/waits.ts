// What a resource waits for besides its inputs (its dependsOn): resources known as the program
// builds, or a promise of them where the answer comes from the cloud first (an API that was
// already on needs no wait). The SDK awaits a promise there before it registers the resource.
import type * as pulumi from "@pulumi/pulumi";

export type Waits = readonly pulumi.Resource[] | Promise<pulumi.Resource[]>;

/**
 * The dependsOn option for everything the given waits wait for: a list when each is known, else
 * a list holding one promise of the list. The SDK gathers a promise in the list as it gathers the
 * list itself (runtime/dependsOn.js, gatherExplicitDependencies, recurses into arrays and awaits
 * promises), so the engine gets the same dependencies. A promise given as the option itself would
 * be turned into an Output by every generated resource class (mergeOptions in resource.js unwraps
 * a top-level promise that way): measured by `npm run bench`, that cost uk's plan 0.11 of its
 * overhead ratio for about 250 resources.
 */
export function dependsOnAll(
  ...waits: readonly (Waits | undefined)[]
): pulumi.Input<pulumi.Resource>[] {
  const lists = waits.map((wait) => wait ?? []);
  const known = lists.filter((list): list is readonly pulumi.Resource[] => Array.isArray(list));
  if (known.length === lists.length) return known.flat();
  const later = Promise.all(lists).then((all) => all.flat());
  // The SDK's type names a promise of one resource; one of a list is gathered the same way (above).
  return [later as unknown as Promise<pulumi.Resource>];
}
