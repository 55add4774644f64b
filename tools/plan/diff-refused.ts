// In-place updates the cloud refuses (the update fails at `pulumi up`) or the provider silently
// ignores, each rule with the reference that states it. Shrinks that a provider turns into a
// replacement instead (a GCE disk: ForceNewIfChange size, IsDiskShrinkage) are in the
// replace-on-change table, not here.

export interface UpdateVerdict {
  /** Set when the cloud refuses the update: what and why, with the source. */
  readonly refused?: string;
  /** Set when the update goes through but not as written. */
  readonly warning?: string;
}

interface UpdateRule {
  readonly type: string;
  readonly source: string;
  readonly check: (
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ) => UpdateVerdict;
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

const EBS_SOURCE =
  "EC2 API ModifyVolume, Size: the target volume size must be greater than or equal to the existing size (botocore 1.44.18, ec2 2016-11-15 service model)";
const RDS_STORAGE_SOURCE =
  "RDS API ModifyDBInstance, AllocatedStorage: the value supplied must be at least 10% greater than the current value, and smaller increases are rounded up to 10% (botocore 1.44.18, rds 2014-10-31 service model)";
const RDS_SUPPRESS_SOURCE =
  "terraform-provider-aws aws_db_instance allocated_storage DiffSuppressFunc: a lower value is ignored while max_allocated_storage is above it (internal/service/rds/instance.go@00e4b238)";
const RDS_MAX_SOURCE =
  "Amazon RDS User Guide, storage autoscaling: the maximum storage threshold must be at least 10% more than the current allocated storage";

export const UPDATE_RULES: readonly UpdateRule[] = [
  {
    type: "aws:ebs/volume:Volume",
    source: EBS_SOURCE,
    check: (before, after) => {
      const [b, a] = [num(before.size), num(after.size)];
      if (b === undefined || a === undefined || a >= b) return {};
      return { refused: `size ${b} -> ${a} GiB: an EBS volume cannot shrink (${EBS_SOURCE})` };
    },
  },
  {
    type: "aws:rds/instance:Instance",
    source: RDS_STORAGE_SOURCE,
    check: (before, after) => {
      const [b, a] = [num(before.allocatedStorage), num(after.allocatedStorage)];
      if (b === undefined || a === undefined || a === b) return {};
      if (a < b) {
        const max = num(after.maxAllocatedStorage) ?? 0;
        if (max > a)
          return {
            warning: `allocatedStorage ${b} -> ${a} GiB is ignored while storage autoscaling is on (maxAllocatedStorage ${max}): the instance keeps its storage (${RDS_SUPPRESS_SOURCE})`,
          };
        return {
          refused: `allocatedStorage ${b} -> ${a} GiB: RDS storage cannot shrink (${RDS_STORAGE_SOURCE})`,
        };
      }
      if (a * 10 < b * 11)
        return {
          warning: `allocatedStorage ${b} -> ${a} GiB is less than 10% more: RDS rounds it up to ${Math.ceil((b * 11) / 10)} GiB (${RDS_STORAGE_SOURCE})`,
        };
      return {};
    },
  },
  {
    type: "aws:rds/instance:Instance",
    source: RDS_MAX_SOURCE,
    check: (before, after) => {
      const [max, allocated] = [num(after.maxAllocatedStorage), num(after.allocatedStorage)];
      const changed =
        before.maxAllocatedStorage !== after.maxAllocatedStorage ||
        before.allocatedStorage !== after.allocatedStorage;
      if (!changed || !max || allocated === undefined || max * 10 >= allocated * 11) return {};
      return {
        refused: `maxAllocatedStorage ${max} GiB is not at least 10% above allocatedStorage ${allocated} GiB (${RDS_MAX_SOURCE})`,
      };
    },
  },
];

/** What the cloud says to an in-place update of this resource's inputs. */
export function judgeUpdate(
  type: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { refused: string[]; warnings: string[] } {
  const refused: string[] = [];
  const warnings: string[] = [];
  for (const rule of UPDATE_RULES) {
    if (rule.type !== type) continue;
    const verdict = rule.check(before, after);
    if (verdict.refused) refused.push(verdict.refused);
    if (verdict.warning) warnings.push(verdict.warning);
  }
  return { refused, warnings };
}
