// The YAML the console's editor starts from when a person creates a ManagedClusterModule
// (console.yaml-template). It must be a complete MCM that the model validates without problems, and its
// comments must say what the controller does with it: build and sign on the hub, once per distinct image.
export const managedClusterModuleTemplate = `apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
kind: ManagedClusterModule
metadata:
  name: example-driver
spec:
  # Where the KMM Module is created on every selected cluster. The MCM name plus this namespace
  # must not exceed 40 characters.
  spokeNamespace: openshift-kmm
  # Equality match on ManagedCluster labels; {} selects every cluster.
  selector:
    environment: production
  moduleSpec:
    # Nodes of each cluster that load the module.
    selector:
      node-role.kubernetes.io/worker: ""
    moduleLoader:
      container:
        modprobe:
          moduleName: example_driver
        # Mappings are tried in order; the first match wins. A regexp is RE2 and matches anywhere in the
        # kernel version unless anchored. The hub sends every cluster one literal mapping per kernel it runs.
        kernelMappings:
          - regexp: '^.+\\.el9_\\d+\\.x86_64$'
            # $KERNEL_FULL_VERSION, $KERNEL_XYZ, $KERNEL_X/Y/Z, $MOD_NAME and $MOD_NAMESPACE are substituted.
            containerImage: quay.io/example/example-driver:$KERNEL_FULL_VERSION
            # Optional: when the registry does not have the image, the hub builds it once for the whole
            # fleet (one Job in the kmm-hub controller's namespace, however many clusters need it) and
            # rolls each kernel out as soon as its image is ready. The ConfigMap (key "dockerfile") lives
            # in the kmm-hub controller's namespace.
            build:
              dockerfileConfigMap:
                name: example-driver-dockerfile
              buildArgs:
                - name: DRIVER_VERSION
                  value: "1.0.0"
            # Optional: sign the module files for Secure Boot. The hub signs them once for the fleet
            # with a sign Job and pushes the signed image; spokes get it pinned by digest. Key (key "key")
            # and certificate (key "cert") Secrets live in the kmm-hub controller's namespace and are
            # only mounted into that Job.
            sign:
              keySecret:
                name: example-signing-key
              certSecret:
                name: example-signing-cert
              filesToSign:
                - /opt/lib/modules/$KERNEL_FULL_VERSION/example_driver.ko
    # Optional: pull secret for the images, in spokeNamespace on every cluster.
    # imageRepoSecret:
    #   name: example-pull-secret
`;
