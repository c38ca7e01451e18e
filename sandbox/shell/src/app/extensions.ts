// The extension types the shell consumes, as the console reads them.
import type { CodeRef, Extension, LoadedExtension } from '@openshift/dynamic-plugin-sdk';
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import type { ComponentType } from 'react';

type Model = { group: string; version?: string; kind: string };
export type NavItem = LoadedExtension<
  Extension<
    | 'console.navigation/href'
    | 'console.navigation/resource-cluster'
    | 'console.navigation/resource-ns',
    {
      id: string;
      name: string;
      perspective?: string;
      section?: string;
      insertAfter?: string | string[];
      insertBefore?: string | string[];
      href?: string;
      model?: Model;
    }
  >
>;
export type ResourcePage = LoadedExtension<
  Extension<
    'console.page/resource/list' | 'console.page/resource/details',
    { model: Model; component: CodeRef<ComponentType<Record<string, unknown>>> }
  >
>;
export type RoutePage = LoadedExtension<
  Extension<
    'console.page/route',
    {
      path: string | string[];
      exact?: boolean;
      perspective?: string;
      component: CodeRef<ComponentType>;
    }
  >
>;
export type YamlTemplate = LoadedExtension<
  Extension<'console.yaml-template', { model: Model; name: string; template: CodeRef<string> }>
>;
export type ModelFlag = LoadedExtension<
  Extension<'console.flag/model', { flag: string; model: Real.K8sGroupVersionKind }>
>;

export const isNavItem = (e: Extension): e is NavItem => e.type.startsWith('console.navigation/');
export const isResourceList = (e: Extension): e is ResourcePage =>
  e.type === 'console.page/resource/list';
export const isResourceDetails = (e: Extension): e is ResourcePage =>
  e.type === 'console.page/resource/details';
export const isRoutePage = (e: Extension): e is RoutePage => e.type === 'console.page/route';
export const isYamlTemplate = (e: Extension): e is YamlTemplate =>
  e.type === 'console.yaml-template';
export const isModelFlag = (e: Extension): e is ModelFlag => e.type === 'console.flag/model';

/** Whether an extension's model is the page's `group~version~Kind` (a model without version matches any). */
export const modelMatches = (model: Model, ref: string): boolean => {
  const [group = '', version = '', kind = ''] = ref.split('~');
  return (
    (model.group || 'core') === group &&
    model.kind === kind &&
    (!model.version || model.version === version)
  );
};
