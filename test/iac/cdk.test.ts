import { cdk } from '../../analyzers/iac/cdk.js';
import { describeProjectFixtureCases } from './fixture-cases.js';

describeProjectFixtureCases(cdk, 'fixtures/analyzers/cdk');
