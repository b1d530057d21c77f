// Added to Vega's own browser build: its expression interpreter (so no string is ever
// evaluated as code under the page's Content-Security-Policy) and the tooltip handler that
// vega-embed uses.
import { expressionInterpreter } from "vega-interpreter";
import { Handler } from "vega-tooltip";

window.vega.expressionInterpreter = expressionInterpreter;
window.vega.TooltipHandler = Handler;
