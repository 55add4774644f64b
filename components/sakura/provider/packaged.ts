// The dynamic provider handed to Pulumi. Pulumi serializes a provider object, with everything
// its methods reach, into the inputs and state of every resource it manages (`__provider`), and
// the engine's dynamic provider host loads that text with plain `node`. So this object holds
// only its resource kind, and each method loads the implementation from the prebuilt package
// @multicloud/sakura-cloud with `require` at call time, in the provider process: the closure
// serializer never captures `require`, and in the host it resolves from the program's
// node_modules. Methods reach nothing else, so the text stays small and no module graph, and
// no credential, rides along.
import type { SakuraResourceKind } from "@multicloud/sakura-cloud";
import type * as pulumi from "@pulumi/pulumi";

type SakuraPackage = typeof import("@multicloud/sakura-cloud");

/** A provider for one kind of Sakura Cloud resource that Pulumi serializes to a few hundred bytes. */
export function packagedProvider(kind: SakuraResourceKind): pulumi.dynamic.ResourceProvider {
  // `this` is the object the host deserialized and caches: the package keeps one implementation
  // per such object, so configure() and every later call reach the same instance.
  const provider: pulumi.dynamic.ResourceProvider & { readonly kind: SakuraResourceKind } = {
    kind,
    configure(req) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .configure(req);
    },
    check(olds, news) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .check(olds, news);
    },
    diff(id, olds, news) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .diff(id, olds, news);
    },
    create(inputs) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .create(inputs);
    },
    read(id, props) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .read(id, props);
    },
    update(id, olds, news) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .update(id, olds, news);
    },
    delete(id, props) {
      return (require("@multicloud/sakura-cloud") as SakuraPackage)
        .providerFor(this)
        .delete(id, props);
    },
  };
  return provider;
}
