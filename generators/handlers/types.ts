/** What the handlers generator did to one place of the code (listed in handlers/README.md and the report). */
export interface Transformation {
  kind: TransformationKind;
  /** Path relative to the analysed folder. */
  file: string;
  line: number;
  description: string;
}

export type TransformationKind =
  | 'tail-call'
  | 'split'
  | 'retry-loop'
  | 'retry-library'
  | 'fan-out'
  | 'compensation'
  | 'sqs-consumer'
  | 'sns-consumer'
  | 'helper-inlined'
  | 'unused-removed'
  /** Something the reviewer must decide: the marker `// lambda2sfn: review — ...` is in the code. */
  | 'review';

/** Why a transformation is not safe at a place of the code: the handler is kept as it was, with a marker there. */
export interface Problem {
  file: string;
  line: number;
  reason: string;
  /** What the developer can do. */
  hint: string;
}
