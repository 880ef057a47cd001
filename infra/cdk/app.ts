// The CDK app entry (`cdk.json` runs it with tsx). Everything is built in createApp.ts so tests synth the same app.
import { createApp } from './createApp.js';

createApp().app.synth();
