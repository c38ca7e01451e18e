// The console shell's host build: a ModuleFederation host that provides, as eager singletons, the modules
// console 4.22 shares with plugins, and the shell's own implementation of the console SDK under the SDK's key.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Configuration } from 'webpack';
import { container, NormalModuleReplacementPlugin } from 'webpack';

const production = process.env.NODE_ENV !== 'development';
const versionOf = (pkg: string): string =>
  (
    JSON.parse(
      readFileSync(require.resolve(`${pkg}/package.json`, { paths: [__dirname] }), 'utf8'),
    ) as { version: string }
  ).version;

// What the console shares, with the ranges its SDK 4.22 asks for (CONSOLE-PLUGIN-LOADING.md).
const singletons: Record<string, string> = {
  react: '^18.3.1',
  'react-i18next': '~16.5.8',
  'react-redux': '~9.2.0',
  'react-router': '~7.13.1',
  redux: '~5.0.1',
  'redux-thunk': '~3.1.0',
  '@openshift/dynamic-plugin-sdk': '^8.0.0',
};

const shared = {
  ...Object.fromEntries(
    Object.entries(singletons).map(([pkg, requiredVersion]) => [
      pkg,
      { singleton: true, eager: true, requiredVersion, version: versionOf(pkg) },
    ]),
  ),
  // A key provided by host code, not by a package: the request must be an absolute path.
  [path.resolve(__dirname, 'src/sdk/index.ts')]: {
    shareKey: '@openshift-console/dynamic-plugin-sdk',
    singleton: true,
    eager: true,
    version: '4.22.0',
    requiredVersion: '^4.22.0',
  },
};

const config: Configuration = {
  mode: production ? 'production' : 'development',
  context: path.resolve(__dirname, 'src'),
  entry: { shell: './main.tsx' },
  output: {
    path: path.resolve(__dirname, 'dist'),
    // The page always asks for /static/shell.js; lazy chunks carry a hash.
    filename: '[name].js',
    chunkFilename: '[name]-[contenthash].js',
    publicPath: '/static/',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: { configFile: path.resolve(__dirname, 'tsconfig.json'), transpileOnly: true },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  plugins: [
    new container.ModuleFederationPlugin({ name: 'kmm_hub_console_shell', shared }),
    // The page loads PatternFly's whole stylesheet once, as the console does; the components' own CSS
    // imports would only duplicate it.
    new NormalModuleReplacementPlugin(/\.css$/, path.resolve(__dirname, 'src/no-css.js')),
  ],
  devtool: production ? false : 'source-map',
  performance: { hints: false },
  // Served from localhost only: minifying would double the build time for little gain.
  optimization: { minimize: false },
};

export default config;
