import { barVenue, describeBrokerConformance } from '@trading-orchestrator/plugin-testkit';
import { paperBroker } from '../src/index.js';

// The built-in paper broker passes the suite every third-party broker runs (buying power is the engine's to check).
describeBrokerConformance('paper broker', { definition: paperBroker, venue: barVenue({ config: {} }) });
