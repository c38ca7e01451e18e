// Stands in for every CSS import of the host's dependencies (see webpack.config.ts).
