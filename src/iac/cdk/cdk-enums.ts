import { getNumber, getProp, getShortName, getText, type Value } from './values.js';

/**
 * CDK helper values read statically: durations, Lambda runtimes and architectures, EventBridge schedules,
 * S3 event types, HTTP methods. Each takes the evaluated value and returns undefined when it is not that helper.
 */

const SECONDS_PER_UNIT: Record<string, number> = { millis: 0.001, seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** `Duration.seconds(30)` / `cdk.Duration.minutes(5)` → seconds. */
export function toSeconds(value: Value | undefined): number | undefined {
  if (value?.t !== 'call' || !value.name.startsWith('core.Duration.')) return undefined;
  const unit = SECONDS_PER_UNIT[value.name.slice('core.Duration.'.length)];
  const amount = getNumber(value.args[0]);
  return unit === undefined || amount === undefined ? undefined : amount * unit;
}

/** `lambda.Runtime.NODEJS_22_X` → `nodejs22.x`; `new lambda.Runtime('nodejs22.x')` → `nodejs22.x`. */
export function toRuntimeName(value: Value | undefined): string | undefined {
  if (value?.t === 'inst' && value.name === 'aws_lambda.Runtime') return getText(value.args[0]);
  if (value?.t !== 'ext' || !value.name.startsWith('aws_lambda.Runtime.')) return undefined;
  const member = value.name.slice('aws_lambda.Runtime.'.length);
  const node = /^NODEJS_(\d+)_X$/.exec(member);
  if (node) return `nodejs${node[1]}.x`;
  const versioned = /^(PYTHON|RUBY|DOTNET|JAVA)_(\d+(?:_\d+)*)$/.exec(member);
  if (versioned) return `${versioned[1].toLowerCase()}${versioned[2].replace(/_/g, '.')}`;
  const provided = /^PROVIDED(?:_(AL2023|AL2))?$/.exec(member);
  if (provided) return provided[1] ? `provided.${provided[1].toLowerCase()}` : 'provided';
  return undefined;
}

/** `lambda.Architecture.ARM_64` → `arm64`. */
export function toArchitecture(value: Value | undefined): string | undefined {
  if (value?.t !== 'ext') return undefined;
  if (value.name === 'aws_lambda.Architecture.ARM_64') return 'arm64';
  if (value.name === 'aws_lambda.Architecture.X86_64') return 'x86_64';
  return undefined;
}

/**
 * An EventBridge schedule expression: `Schedule.rate(Duration.minutes(5))` → `rate(5 minutes)` (the largest unit
 * that divides evenly, as the CDK writes it), `Schedule.expression('cron(...)')`, `Schedule.cron({ hour: '3' })`.
 * Also the EventBridge Scheduler's `ScheduleExpression`.
 */
export function toScheduleExpression(value: Value | undefined): string | undefined {
  if (value?.t !== 'call') return undefined;
  const method = /(?:^|\.)(?:Schedule|ScheduleExpression)\.(rate|expression|cron|at)$/.exec(value.name)?.[1];
  switch (method) {
    case 'expression':
      return getText(value.args[0]);
    case 'rate': {
      const seconds = toSeconds(value.args[0]);
      return seconds === undefined ? undefined : toRate(seconds);
    }
    case 'cron':
      return toCron(value.args[0]);
    default:
      return undefined;
  }
}

function toRate(seconds: number): string | undefined {
  const minutes = seconds / 60;
  for (const [unit, size] of [['day', 1440], ['hour', 60], ['minute', 1]] as const) {
    const amount = minutes / size;
    if (Number.isInteger(amount) && amount > 0) return `rate(${amount} ${amount === 1 ? unit : `${unit}s`})`;
  }
  return undefined;
}

/** `Schedule.cron({ minute: '0', hour: '3' })` → `cron(0 3 * * ? *)`, with the CDK's defaults. */
function toCron(options: Value | undefined): string | undefined {
  if (options?.t !== 'obj') return undefined;
  const field = (key: string) => {
    const item = getProp(options, key);
    return item === undefined || item.t === 'undef' ? undefined : getText(item);
  };
  const weekDay = field('weekDay');
  const day = field('day') ?? (weekDay !== undefined ? '?' : '*');
  return `cron(${field('minute') ?? '*'} ${field('hour') ?? '*'} ${day} ${field('month') ?? '*'} ${weekDay ?? '?'} ${field('year') ?? '*'})`;
}

const S3_EVENTS: Record<string, string> = {
  OBJECT_CREATED: 's3:ObjectCreated:*',
  OBJECT_CREATED_PUT: 's3:ObjectCreated:Put',
  OBJECT_CREATED_POST: 's3:ObjectCreated:Post',
  OBJECT_CREATED_COPY: 's3:ObjectCreated:Copy',
  OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD: 's3:ObjectCreated:CompleteMultipartUpload',
  OBJECT_REMOVED: 's3:ObjectRemoved:*',
  OBJECT_REMOVED_DELETE: 's3:ObjectRemoved:Delete',
  OBJECT_REMOVED_DELETE_MARKER_CREATED: 's3:ObjectRemoved:DeleteMarkerCreated',
  OBJECT_RESTORE_COMPLETED: 's3:ObjectRestore:Completed',
};

/** `s3.EventType.OBJECT_CREATED` → `s3:ObjectCreated:*`. */
export function toS3Event(value: Value | undefined): string | undefined {
  if (value?.t !== 'ext' || !value.name.startsWith('aws_s3.EventType.')) return getText(value);
  const member = value.name.slice('aws_s3.EventType.'.length);
  return S3_EVENTS[member] ?? member;
}

/** `apigwv2.HttpMethod.POST`, `'post'` → `POST`. */
export function toHttpMethod(value: Value | undefined): string | undefined {
  if (value?.t === 'ext') return value.name.slice(value.name.lastIndexOf('.') + 1).toUpperCase();
  return getText(value)?.toUpperCase();
}

/** An enum member as its name (`lambda.StartingPosition.LATEST` → `LATEST`), or a literal as it is. */
export function toEnumText(value: Value | undefined): string | undefined {
  if (value?.t === 'ext') return getShortName(value.name).split('.').pop();
  return getText(value);
}
