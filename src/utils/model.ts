// The one module through which the plugin uses the shared kmm-hub model (controller/src/model): the webpack
// build and jest both resolve it from here, and the plugin never re-implements a rule the model has.
export * from 'kmm-hub-controller/model';
