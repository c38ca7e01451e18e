// Workspaces reach each other only by package name, through the entry points each declares in its package.json
// `exports`: a relative path into another workspace's folder would bypass them and the dependency list, and
// would make the package boundaries invisible. Resolution is purely by path, so the rule needs no type info.
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid relative imports that leave their npm workspace' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          workspaces: { type: 'array', items: { type: 'string' } },
        },
        required: ['root', 'workspaces'],
        additionalProperties: false,
      },
    ],
    messages: {
      leaves:
        "'{{source}}' leaves the {{from}} workspace for {{to}}: import it by package name through an entry " +
        "point that package declares in its package.json 'exports' (and list it in {{from}}'s dependencies).",
    },
  },
  create(context) {
    const { root, workspaces } = context.options[0];
    const workspaceOf = (file) => {
      const relative = path.relative(root, file);
      if (relative.startsWith('..')) return 'outside the repository';
      const top = relative.split(path.sep)[0];
      return workspaces.includes(top) ? `${top}/` : 'root';
    };
    const from = workspaceOf(context.filename);
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string' || !node.value.startsWith('.'))
        return;
      const to = workspaceOf(path.resolve(path.dirname(context.filename), node.value));
      if (to !== from)
        context.report({ node, messageId: 'leaves', data: { source: node.value, from, to } });
    };
    const isModuleCall = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'jest' &&
        callee.property.type === 'Identifier' &&
        ['mock', 'requireActual', 'doMock'].includes(callee.property.name));
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (isModuleCall(node.callee)) check(node.arguments[0]);
      },
    };
  },
};
