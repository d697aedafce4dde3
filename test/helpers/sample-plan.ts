import { lambdaServiceRetry } from '../../src/propose/retry-rules.js';
import type { Evidence, Plan, WorkflowPlan } from '../../src/types/plan.js';
import { PLAN_SCHEMA_VERSION } from '../../src/types/plan.js';

const PLACE_ORDER = 'src/handlers/place-order.ts';

function at(line: number, text: string, file = PLACE_ORDER): Evidence {
  return { file, line, text };
}

/**
 * A hand-built plan that uses every step type, every optional field and both invocation styles: the orders
 * example's `placeOrder` chain (split handler, guarded call, fan-out, retry loop, compensation, collapsed queue
 * with its dead-letter step, SNS subscribers in parallel) and a small nightly workflow (distributed map, wait,
 * direct service integrations, a nested workflow, a fail state).
 */
export function buildSamplePlan(): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    toolVersion: '0.1.0',
    sourceRoot: '../fixtures/apps/orders',
    workflows: [buildPlaceOrderWorkflow(), buildNightlyWorkflow()],
    skipped: [{ entry: 'sweeper', reason: 'the chain has a cycle: sweeper → sweeper (recursion)', evidence: [at(7, 'await invokeSelf(next)', 'src/sweep.ts')] }],
  };
}

/** The envelope a split function's part receives (docs/plan.md). */
function partInput(step: string, from: 'start' | 'result' | 'error') {
  return {
    kind: 'template' as const,
    template: {
      step,
      ...(from === 'start' ? { 'event.$': '$', vars: {} } : { 'event.$': '$.event', 'vars.$': '$.vars' }),
      ...(from === 'result' ? { 'result.$': '$.result.Payload' } : { result: null }),
      ...(from === 'start' ? { error: null } : { 'error.$': '$.error' }),
    },
  };
}

function buildPlaceOrderWorkflow(): WorkflowPlan {
  const fraudCall = { to: 'fraudCheck', kind: 'invoke-sync', file: PLACE_ORDER, line: 116, text: 'const verdict = await invokeFunction<FraudCheckResult>(process.env.FRAUD_CHECK_FUNCTION!, {' };
  const reserveCall = { to: 'reserveInventory', kind: 'invoke-sync', file: PLACE_ORDER, line: 142, text: 'invokeFunction<Reservation>(process.env.RESERVE_INVENTORY_FUNCTION!, {' };
  const paymentCall = { to: 'validatePayment', kind: 'invoke-sync', file: PLACE_ORDER, line: 82, text: 'return await invokeFunction<PaymentResult>(process.env.VALIDATE_PAYMENT_FUNCTION!, {' };
  const releaseCall = { to: 'releaseInventory', kind: 'invoke-sync', file: PLACE_ORDER, line: 161, text: 'await invokeFunction(process.env.RELEASE_INVENTORY_FUNCTION!, {' };
  const queueCall = { to: 'OrdersQueue', kind: 'sqs', file: PLACE_ORDER, line: 182, text: 'await sqs.send(' };
  const partResult = { resultPath: '$', outputPath: '$.Payload' };
  const calleeResult = { resultSelector: { 'Payload.$': '$.Payload' }, resultPath: '$.result' };
  return {
    name: 'place-order',
    logicalId: 'PlaceOrderWorkflow',
    chain: {
      entry: 'placeOrder',
      triggers: ['http'],
      functions: ['placeOrder', 'fraudCheck', 'reserveInventory', 'validatePayment', 'releaseInventory', 'fulfillOrder', 'notifyCustomer', 'updateLoyalty'],
      nodes: ['placeOrder', 'fraudCheck', 'reserveInventory', 'validatePayment', 'releaseInventory', 'OrdersQueue', 'fulfillOrder', 'OrdersDLQ', 'OrderEventsTopic', 'notifyCustomer', 'updateLoyalty'],
    },
    type: 'EXPRESS',
    queryLanguage: 'JSONPath',
    decisions: [
      {
        id: 'workflow-type',
        kind: 'workflow-type',
        question: 'Standard or Express workflow for placeOrder?',
        choice: 'EXPRESS',
        default: 'EXPRESS',
        alternatives: [
          { value: 'STANDARD', description: 'up to a year, exactly-once, priced per state transition' },
          { value: 'EXPRESS', description: 'up to 5 minutes, at-least-once, priced per request and duration; can answer an HTTP request synchronously' },
        ],
        reason: 'the entry function answers an HTTP request (timeout 29 s): a synchronous Express workflow keeps the API responding',
        evidence: [at(67, '- httpApi:', 'serverless.yml'), at(58, 'timeout: 29', 'serverless.yml')],
        takenBy: 'default',
      },
      {
        id: 'queue:OrdersQueue',
        kind: 'queue',
        question: 'placeOrder sends to OrdersQueue, consumed by fulfillOrder: collapse the queue into the next step, or keep it as a buffer?',
        choice: 'collapse',
        default: 'collapse',
        alternatives: [
          { value: 'collapse', description: 'fulfillOrder becomes the next state; the redrive becomes Retry and a dead-letter step' },
          { value: 'keep', description: 'the workflow sends to the queue (sqs:sendMessage) and ends; fulfillOrder stays a queue consumer' },
        ],
        reason: 'one consumer and no batching the workflow needs',
        evidence: [at(182, 'await sqs.send('), at(100, '- sqs:', 'serverless.yml')],
        takenBy: 'prompt',
      },
    ],
    functions: [
      {
        id: 'placeOrder',
        handler: 'src/handlers/place-order.ts:handler',
        placeholder: 'PlaceOrderFunctionArn',
        invocation: 'parts',
        parts: [
          { name: 'beforeFraudCheck', role: 'start', before: [fraudCall], vars: ['order'], states: ['PlaceOrderBeforeFraudCheck'] },
          { name: 'afterFraudCheck', role: 'after-call', after: fraudCall, before: [reserveCall], vars: [], states: ['PlaceOrderAfterFraudCheck'] },
          { name: 'afterReserveInventory', role: 'after-call', after: reserveCall, before: [paymentCall], vars: [], states: ['PlaceOrderAfterReserveInventory'] },
          {
            name: 'onValidatePaymentError',
            role: 'on-error',
            after: paymentCall,
            catchClause: at(159, '} catch (err) {'),
            before: [releaseCall],
            vars: [],
            states: ['PlaceOrderOnValidatePaymentError'],
          },
          { name: 'afterReleaseInventory', role: 'after-call', after: releaseCall, before: [], vars: [], states: ['PlaceOrderAfterReleaseInventory'] },
          { name: 'afterValidatePayment', role: 'after-call', after: paymentCall, before: [queueCall], vars: [], states: ['PlaceOrderAfterValidatePayment'] },
        ],
        movedCalls: [fraudCall, reserveCall, paymentCall, releaseCall, queueCall],
        timeoutSeconds: 29,
      },
      { id: 'fraudCheck', handler: 'src/handlers/fraud-check.ts:handler', placeholder: 'FraudCheckFunctionArn', invocation: 'whole', parts: [], movedCalls: [], timeoutSeconds: 10 },
      { id: 'reserveInventory', handler: 'src/handlers/reserve-inventory.ts:handler', placeholder: 'ReserveInventoryFunctionArn', invocation: 'whole', parts: [], movedCalls: [], timeoutSeconds: 10 },
      { id: 'validatePayment', handler: 'src/handlers/validate-payment.ts:handler', placeholder: 'ValidatePaymentFunctionArn', invocation: 'whole', parts: [], movedCalls: [], timeoutSeconds: 15 },
      { id: 'releaseInventory', placeholder: 'ReleaseInventoryFunctionArn', invocation: 'whole', parts: [], movedCalls: [] },
      {
        id: 'fulfillOrder',
        handler: 'src/handlers/fulfill-order.ts:handler',
        placeholder: 'FulfillOrderFunctionArn',
        invocation: 'whole',
        parts: [],
        movedCalls: [{ to: 'OrderEventsTopic', kind: 'sns', file: 'src/handlers/fulfill-order.ts', line: 40, text: 'await sns.send(' }],
        timeoutSeconds: 60,
      },
      { id: 'notifyCustomer', handler: 'src/handlers/notify-customer.ts:handler', placeholder: 'NotifyCustomerFunctionArn', invocation: 'whole', parts: [], movedCalls: [], timeoutSeconds: 20 },
      { id: 'updateLoyalty', handler: 'src/handlers/update-loyalty.ts:handler', placeholder: 'UpdateLoyaltyFunctionArn', invocation: 'whole', parts: [], movedCalls: [], timeoutSeconds: 10 },
    ],
    resources: [
      { id: 'placeOrder', kind: 'function', placeholder: 'PlaceOrderFunctionArn', attribute: 'arn', name: 'orders-dev-placeOrder', actions: ['lambda:InvokeFunction'], declaredAt: at(55, 'placeOrder:', 'serverless.yml') },
      { id: 'fraudCheck', kind: 'function', placeholder: 'FraudCheckFunctionArn', attribute: 'arn', name: 'orders-dev-fraudCheck', actions: ['lambda:InvokeFunction'] },
      { id: 'reserveInventory', kind: 'function', placeholder: 'ReserveInventoryFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'validatePayment', kind: 'function', placeholder: 'ValidatePaymentFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'releaseInventory', kind: 'function', placeholder: 'ReleaseInventoryFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'fulfillOrder', kind: 'function', placeholder: 'FulfillOrderFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'notifyCustomer', kind: 'function', placeholder: 'NotifyCustomerFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'updateLoyalty', kind: 'function', placeholder: 'UpdateLoyaltyFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'OrdersDLQ', kind: 'queue', placeholder: 'OrdersDLQQueueUrl', attribute: 'url', name: 'orders-dev-orders-dlq', actions: ['sqs:SendMessage'] },
    ],
    model: {
      comment: 'placeOrder chain (src/handlers/place-order.ts), proposed by lambda2sfn',
      steps: [
        { type: 'task', name: 'PlaceOrderBeforeFraudCheck', comment: 'placeOrder up to the fraud check (src/handlers/place-order.ts:105)', evidence: [at(105, 'export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {')], function: 'placeOrder', part: 'beforeFraudCheck', input: partInput('beforeFraudCheck', 'start'), result: partResult, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
        {
          type: 'choice',
          name: 'PlaceOrderBeforeFraudCheckReturned',
          comment: 'placeOrder may return before the fraud check (src/handlers/place-order.ts:110)',
          evidence: [at(110, 'if (err instanceof ValidationError) return json(400, { message: err.message });')],
          branches: [
            {
              condition: { kind: 'compare', path: '$.done', operator: '==', value: true },
              sourceText: 'return json(400, { message: err.message })',
              steps: [{ type: 'succeed', name: 'PlaceOrderReturnedBeforeFraudCheck', comment: 'the response placeOrder returned', evidence: [], outputPath: '$.return' }],
            },
          ],
          otherwise: [],
        },
        {
          type: 'choice',
          name: 'NeedsFraudCheck',
          comment: 'order.total > FRAUD_REVIEW_THRESHOLD (src/handlers/place-order.ts:115)',
          evidence: [at(115, 'if (order.total > FRAUD_REVIEW_THRESHOLD) {')],
          branches: [
            {
              condition: { kind: 'and', conditions: [{ kind: 'compare', path: '$.vars.order.total', operator: 'exists' }, { kind: 'compare', path: '$.vars.order.total', operator: '>', value: 1000 }] },
              sourceText: 'order.total > FRAUD_REVIEW_THRESHOLD',
              steps: [
                { type: 'task', name: 'FraudCheck', comment: 'fraudCheck, invoked at src/handlers/place-order.ts:116', evidence: [at(116, fraudCall.text)], function: 'fraudCheck', input: { kind: 'path', path: '$.payload' }, result: calleeResult, timeoutSeconds: 10, retry: [lambdaServiceRetry()], catch: [] },
              ],
            },
          ],
          otherwise: [{ type: 'pass', name: 'SkipFraudCheck', comment: 'no fraud check: the result is null', evidence: [], value: { Payload: null }, result: { resultPath: '$.result' } }],
        },
        { type: 'task', name: 'PlaceOrderAfterFraudCheck', comment: 'placeOrder after the fraud check, up to the reservations (src/handlers/place-order.ts:124)', evidence: [at(124, "if (verdict.decision === 'reject') {")], function: 'placeOrder', part: 'afterFraudCheck', input: partInput('afterFraudCheck', 'result'), result: partResult, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
        {
          type: 'map',
          name: 'ReserveInventoryForEachItem',
          comment: 'Promise.all over order.items (src/handlers/place-order.ts:140)',
          evidence: [at(140, 'reservations = await Promise.all(')],
          mode: 'inline',
          itemsPath: '$.payload',
          steps: [
            { type: 'task', name: 'ReserveInventory', comment: 'reserveInventory, invoked at src/handlers/place-order.ts:142', evidence: [at(142, reserveCall.text)], function: 'reserveInventory', input: { kind: 'path', path: '$' }, result: { resultPath: '$', outputPath: '$.Payload' }, timeoutSeconds: 10, retry: [lambdaServiceRetry()], catch: [] },
          ],
          result: { resultSelector: { 'Payload.$': '$' }, resultPath: '$.result' },
          retry: [],
          catch: [],
        },
        { type: 'task', name: 'PlaceOrderAfterReserveInventory', comment: 'placeOrder after the reservations (src/handlers/place-order.ts:156)', evidence: [at(156, 'let payment: PaymentResult;')], function: 'placeOrder', part: 'afterReserveInventory', input: partInput('afterReserveInventory', 'result'), result: partResult, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
        {
          type: 'task',
          name: 'ValidatePayment',
          comment: 'validatePayment, invoked at src/handlers/place-order.ts:82; retried as the loop at line 80 did',
          evidence: [at(82, paymentCall.text)],
          function: 'validatePayment',
          input: { kind: 'path', path: '$.payload' },
          result: calleeResult,
          timeoutSeconds: 15,
          retry: [
            { errorEquals: ['PaymentDeclinedError'], intervalSeconds: 1, maxAttempts: 0, backoffRate: 1, comment: 'not retried by the loop (line 92)', evidence: [at(92, "if ((err as Error).name === 'PaymentDeclinedError') {")] },
            lambdaServiceRetry(),
            {
              errorEquals: ['States.ALL'],
              intervalSeconds: 1,
              maxAttempts: 2,
              backoffRate: 2,
              comment: 'the retry loop at src/handlers/place-order.ts:80: 3 attempts, 200 ms doubling (interval rounded up to 1 s)',
              evidence: [at(80, 'for (let attempt = 1; attempt <= PAYMENT_ATTEMPTS; attempt++) {')],
            },
          ],
          catch: [
            {
              errorEquals: ['States.ALL'],
              resultPath: '$.error',
              comment: 'the catch at src/handlers/place-order.ts:159 releases the reserved stock',
              evidence: [at(159, '} catch (err) {')],
              steps: [
                { type: 'task', name: 'PlaceOrderOnValidatePaymentError', comment: 'placeOrder in the catch at src/handlers/place-order.ts:159', evidence: [at(160, "logger.warn('payment failed, releasing reserved stock', { orderId: order.orderId, ...errorFields(err) });")], function: 'placeOrder', part: 'onValidatePaymentError', input: partInput('onValidatePaymentError', 'error'), result: partResult, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
                { type: 'task', name: 'ReleaseInventory', comment: 'compensation: releaseInventory, invoked at src/handlers/place-order.ts:161', evidence: [at(161, releaseCall.text)], function: 'releaseInventory', input: { kind: 'path', path: '$.payload' }, result: calleeResult, retry: [lambdaServiceRetry()], catch: [] },
                { type: 'task', name: 'PlaceOrderAfterReleaseInventory', comment: 'placeOrder after the compensation (src/handlers/place-order.ts:165)', evidence: [at(165, "await markOrder(order.orderId, 'PAYMENT_FAILED');")], function: 'placeOrder', part: 'afterReleaseInventory', input: partInput('afterReleaseInventory', 'result'), result: { resultPath: '$', outputPath: '$.Payload.return' }, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
              ],
            },
          ],
        },
        { type: 'task', name: 'PlaceOrderAfterValidatePayment', comment: 'placeOrder after the payment (src/handlers/place-order.ts:173)', evidence: [at(173, 'const message: FulfilmentMessage = {')], function: 'placeOrder', part: 'afterValidatePayment', input: partInput('afterValidatePayment', 'result'), result: partResult, timeoutSeconds: 29, retry: [lambdaServiceRetry()], catch: [] },
        {
          type: 'task',
          name: 'FulfillOrder',
          comment: 'fulfillOrder, fed by OrdersQueue (src/handlers/place-order.ts:182); the queue redrive becomes Retry and a dead-letter step',
          evidence: [at(182, queueCall.text), at(151, 'maxReceiveCount: 3', 'serverless.yml')],
          function: 'fulfillOrder',
          input: { kind: 'path', path: '$.payload' },
          result: calleeResult,
          timeoutSeconds: 60,
          retry: [lambdaServiceRetry(), { errorEquals: ['States.ALL'], intervalSeconds: 1, maxAttempts: 2, backoffRate: 2, maxDelaySeconds: 60, jitterStrategy: 'NONE', comment: 'OrdersQueue delivered a message up to 3 times (maxReceiveCount)', evidence: [at(151, 'maxReceiveCount: 3', 'serverless.yml')] }],
          catch: [
            {
              errorEquals: ['States.ALL'],
              resultPath: '$.error',
              comment: 'OrdersQueue moved failed messages to OrdersDLQ',
              evidence: [at(150, 'deadLetterTargetArn: !GetAtt OrdersDLQ.Arn', 'serverless.yml')],
              steps: [
                { type: 'service', name: 'SendToOrdersDLQ', comment: 'the message goes to the dead-letter queue, as the redrive did', evidence: [at(150, 'deadLetterTargetArn: !GetAtt OrdersDLQ.Arn', 'serverless.yml')], service: 'sqs', action: 'sendMessage', integration: 'request-response', resource: 'OrdersDLQ', parameters: { QueueUrl: '${OrdersDLQQueueUrl}', 'MessageBody.$': '$.payload' }, result: { resultPath: null }, retry: [], catch: [] },
                { type: 'fail', name: 'FulfillOrderFailed', comment: 'the message was dead-lettered', evidence: [], errorPath: '$.error.Error', causePath: '$.error.Cause' },
              ],
            },
          ],
        },
        {
          type: 'parallel',
          name: 'OrderEventsTopicSubscribers',
          comment: 'OrderEventsTopic delivered to 2 subscribers (src/handlers/fulfill-order.ts:40)',
          evidence: [at(40, 'await sns.send(', 'src/handlers/fulfill-order.ts')],
          branches: [
            { label: 'notifyCustomer', steps: [{ type: 'task', name: 'NotifyCustomer', comment: 'notifyCustomer, subscribed at serverless.yml:112', evidence: [at(112, '- sns:', 'serverless.yml')], function: 'notifyCustomer', input: { kind: 'path', path: '$.result.Payload' }, result: { resultPath: null }, timeoutSeconds: 20, retry: [lambdaServiceRetry()], catch: [] }] },
            { label: 'updateLoyalty', steps: [{ type: 'task', name: 'UpdateLoyalty', comment: 'updateLoyalty, subscribed at serverless.yml:123', evidence: [at(123, '- sns:', 'serverless.yml')], function: 'updateLoyalty', input: { kind: 'path', path: '$.result.Payload' }, result: { resultPath: null }, timeoutSeconds: 10, retry: [lambdaServiceRetry()], catch: [] }] },
          ],
          result: { resultPath: null, outputPath: '$.return' },
          retry: [],
          catch: [],
        },
      ],
    },
    findings: [
      {
        code: 'filter-policy',
        severity: 'warning',
        message: 'updateLoyalty subscribes with a filter policy (eventType: OrderFulfilled) that the Parallel branch does not apply',
        evidence: [at(126, 'filterPolicy:', 'serverless.yml')],
      },
    ],
  };
}

function buildNightlyWorkflow(): WorkflowPlan {
  const sweep = 'src/sweep.ts';
  return {
    name: 'nightly-sweep',
    logicalId: 'NightlySweepWorkflow',
    chain: { entry: 'sweeper', triggers: ['schedule'], functions: ['sweeper'], nodes: ['sweeper', 'Fulfilment', 'app/bus'] },
    type: 'STANDARD',
    queryLanguage: 'JSONata',
    decisions: [
      {
        id: 'distributed-map:src/sweep.ts:12',
        kind: 'distributed-map',
        question: 'The fan-out at src/sweep.ts:12 reads a listing of S3 objects: inline or distributed Map?',
        choice: 'distributed',
        default: 'distributed',
        alternatives: [
          { value: 'inline', description: 'up to 40 concurrent iterations, items in the state (256 KB)' },
          { value: 'distributed', description: 'child executions, items read from S3 by the Map itself' },
        ],
        reason: 'the items come from an S3 listing, which may exceed the state size limit',
        evidence: [at(12, 'for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET })) {', sweep)],
        takenBy: 'flag',
      },
    ],
    functions: [{ id: 'sweeper', handler: 'src/sweep.ts:handler', placeholder: 'SweeperFunctionArn', invocation: 'whole', parts: [], movedCalls: [{ to: 'Fulfilment', kind: 'sfn-start', file: sweep, line: 7, text: 'await sfn.send(new StartExecutionCommand({' }] }],
    resources: [
      { id: 'sweeper', kind: 'function', placeholder: 'SweeperFunctionArn', attribute: 'arn', actions: ['lambda:InvokeFunction'] },
      { id: 'Fulfilment', kind: 'state-machine', placeholder: 'FulfilmentStateMachineArn', attribute: 'arn', actions: ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'] },
      { id: 'app/bus', kind: 'bus', placeholder: 'AppBusEventBusName', attribute: 'name', name: 'app-bus', actions: ['events:PutEvents'] },
    ],
    model: {
      comment: 'sweeper chain (src/sweep.ts)',
      steps: [
        { type: 'wait', name: 'WaitBeforeSweep', comment: 'the sleep at src/sweep.ts:5', evidence: [at(5, 'await sleep(60_000);', sweep)], seconds: 60 },
        {
          type: 'map',
          name: 'SweepEachObject',
          comment: 'one iteration per object listed at src/sweep.ts:12',
          evidence: [at(12, 'for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET })) {', sweep)],
          mode: 'distributed',
          itemSelector: { 'key.$': '$$.Map.Item.Value.Key' },
          itemReader: { resource: 'arn:aws:states:::s3:listObjectsV2', parameters: { Bucket: '${SweepBucketName}' } },
          maxConcurrency: 100,
          toleratedFailurePercentage: 5,
          steps: [{ type: 'task', name: 'Sweeper', comment: 'sweeper for one object', evidence: [], function: 'sweeper', input: { kind: 'path', path: '$' }, result: { resultPath: null }, timeoutSeconds: 900, retry: [lambdaServiceRetry()], catch: [] }],
          result: { resultPath: null },
          retry: [],
          catch: [],
        },
        { type: 'service', name: 'StartFulfilment', comment: 'the StartExecution at src/sweep.ts:7, as a nested workflow', evidence: [at(7, 'await sfn.send(new StartExecutionCommand({', sweep)], service: 'states', action: 'startExecution', integration: 'sync', resource: 'Fulfilment', parameters: { StateMachineArn: '${FulfilmentStateMachineArn}', 'Input.$': '$' }, result: { resultSelector: { 'Output.$': '$.Output' }, resultPath: '$.fulfilment' }, timeoutSeconds: 3600, retry: [], catch: [{ errorEquals: ['States.TaskFailed'], resultPath: null, comment: 'the nested workflow failed', evidence: [], steps: [{ type: 'fail', name: 'FulfilmentFailed', comment: 'the nested workflow failed', evidence: [], error: 'FulfilmentFailed', cause: 'the Fulfilment state machine failed' }] }] },
        { type: 'service', name: 'PublishSwept', comment: 'the PutEvents at src/sweep.ts:27', evidence: [at(27, 'await events.send(new PutEventsCommand({', sweep)], service: 'events', action: 'putEvents', integration: 'request-response', resource: 'app/bus', parameters: { Entries: [{ EventBusName: '${AppBusEventBusName}', Source: 'sweeper', DetailType: 'Swept', 'Detail.$': '$' }] }, result: { resultPath: null } , retry: [], catch: [] },
        { type: 'succeed', name: 'Swept', comment: 'done', evidence: [] },
      ],
    },
    findings: [],
  };
}
