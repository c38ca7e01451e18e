// The console plugin build. ConsoleRemotePlugin turns package.json `consolePlugin` and console-extensions.json
// into the remote entry, plugin-manifest.json and one chunk per exposed module; console 4.22 loads that from
// /api/plugins/kmm-hub-console-plugin/. `npm run build` is the production build CI runs and the console shell loads.
import * as path from 'node:path';
import type { Configuration } from 'webpack';
import { ConsoleRemotePlugin } from '@openshift-console/dynamic-plugin-sdk-webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';

const production = process.env.NODE_ENV === 'production';

const config: Configuration = {
  mode: production ? 'production' : 'development',
  // ConsoleRemotePlugin adds the container entry itself.
  entry: {},
  context: path.resolve(__dirname, 'src'),
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: production ? '[name]-bundle-[contenthash].min.js' : '[name]-bundle.js',
    chunkFilename: production ? '[name]-chunk-[chunkhash].min.js' : '[name]-chunk.js',
    // Chunks of earlier builds would otherwise linger in dist/ and be served.
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.jsx'],
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        // The plugin imports the shared model from controller/src/model, so that is compiled here too.
        exclude: /node_modules/,
        use: [
          {
            loader: 'ts-loader',
            options: {
              configFile: path.resolve(__dirname, 'tsconfig.json'),
              // `npm run typecheck` type-checks; the build only transpiles.
              transpileOnly: true,
            },
          },
        ],
      },
      {
        // Some dependencies ship ESM with extensionless imports.
        test: /\.m?js$/,
        resolve: { fullySpecified: false },
      },
    ],
  },
  plugins: [
    new ConsoleRemotePlugin(),
    // ConsoleRemotePlugin does not copy translations; console serves them from dist/locales.
    new CopyWebpackPlugin({
      patterns: [{ from: path.resolve(__dirname, 'locales'), to: 'locales' }],
    }),
  ],
  devtool: production ? false : 'source-map',
  optimization: {
    chunkIds: production ? 'deterministic' : 'named',
    minimize: production,
  },
  performance: { hints: false },
};

export default config;
