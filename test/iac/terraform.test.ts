import { terraform } from '../../analyzers/iac/terraform.js';
import { describeProjectFixtureCases } from './fixture-cases.js';

describeProjectFixtureCases(terraform, 'fixtures/analyzers/terraform');
