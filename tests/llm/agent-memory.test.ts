/** The agent scenarios on the in-memory notebook (the real-kernel run passes the session's factory instead). */
import { defineAgentScenarios } from './scenarios.ts';
import { defineFailureScenarios } from './failure-scenarios.ts';
import { memoryNotebookFactory } from './harness.ts';

defineAgentScenarios('in-memory notebook', memoryNotebookFactory);
defineFailureScenarios('in-memory notebook', memoryNotebookFactory);
