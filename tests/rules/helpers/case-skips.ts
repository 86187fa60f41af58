import type { ValidationCase } from './cases.ts';

const FRAGMENT =
  'the YAML in the fixture is a fragment (indented `exceptions:` only); the C++ test completes it with a rule header that the fixture does not carry';
const EVTTYPE =
  'LOAD_NO_EVTTYPE is about syscall event-type indexing (evt.type values), which does not exist for k8s_audit rules';
const EVT_DIR =
  "the evt.dir deprecation warning is about the syscall source's event direction field; k8s_audit has no evt.dir";
const RUNTIME =
  'the exit status comes from Falco runtime options (syscall-drop config, -D/-t selection) rather than from loading rules';
const SYSCALL_VALUES =
  'expects a syscall-specific value check (evt.type must name a known syscall: "unknown event type"); our syscall stand-in fields are plain strings';

const ALT_LOADER =
  'exercises C++ extension points (custom reader/collector/compiler classes, compile_output cloning) that have no counterpart in a TypeScript loader';
const ENABLE_API =
  'drives falco_engine::enable_rule* on numbered rulesets with rules defined in C++ fixtures not present in the case; our selection semantics are tested in select.test.ts';
const MACRO_RESOLVER =
  'unit test of the C++ filter_macro_resolver on hand-built ASTs (no rules text); expandMacros is covered through loaded rules and load-errors.test.ts';
const AST_ONLY_WARNING =
  'builds the AST in C++ with multi-value transformers (concat/join) that cannot be written as condition text; not in our condition language';

/**
 * Upstream cases we do not run, each with the reason. Anything not listed here (and not
 * a YAML-less C++ API test) runs and must pass.
 */
export const CASE_SKIPS: Readonly<Record<string, string>> = {
  'test_rule_loader.cpp::evttype_warning_for_broad_condition': EVTTYPE,
  'falco_tests.yaml::test_warnings': EVTTYPE,
  'test_rule_loader.cpp::exceptions_values_rhs_field_ambiguous': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_rhs_field_ambiguous_quoted': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_rhs_field_ambiguous_space_quoted': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_rhs_transformer': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_transformer_value_quoted': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_transformer_space': FRAGMENT,
  'test_rule_loader.cpp::exceptions_values_transformer_space_quoted': FRAGMENT,
  'test_rule_loader.cpp::exceptions_fields_transformer': FRAGMENT,
  'test_rule_loader.cpp::exceptions_fields_transformer_quoted': FRAGMENT,
  'test_rule_loader.cpp::exceptions_fields_transformer_space_quoted': FRAGMENT,
  'test_rule_loader.cpp::deprecated_field_in_output': EVT_DIR,
  'test_rule_loader.cpp::deprecated_evt_dir_folded_scalar_condition_snippet': EVT_DIR,
  'test_rule_loader.cpp::deprecated_evt_dir_via_macro_folded_scalar_condition_snippet': EVT_DIR,
  TestFalco_Legacy_MonitorSyscallDropsThresholdOor: RUNTIME,
  TestFalco_Legacy_MonitorSyscallDropsIgnoreAndLog: RUNTIME,
  TestFalco_Legacy_MonitorSyscallDropsThresholdNeg: RUNTIME,
  TestFalco_Legacy_MonitorSyscallDropsExit: RUNTIME,
  'falco_tests.yaml::monitor_syscall_drops_ignore_and_log': RUNTIME,
  'falco_tests.yaml::monitor_syscall_drops_threshold_oor': RUNTIME,
  'falco_tests.yaml::monitor_syscall_drops_threshold_neg': RUNTIME,
  'falco_tests.yaml::monitor_syscall_drops_exit': RUNTIME,
  'falco_tests.yaml::disabled_and_enabled_rules_1': RUNTIME,
  'falco_tests.yaml::disabled_and_enabled_rules_2': RUNTIME,
  'falco_tests.yaml::invalid_list_loop': SYSCALL_VALUES,
  'test_alt_rule_loader.cpp::load_rules': ALT_LOADER,
  'test_alt_rule_loader.cpp::pass_compile_output_to_ruleset': ALT_LOADER,
  'test_alt_rule_loader.cpp::falco_engine_alternate_loader': ALT_LOADER,
  'test_alt_rule_loader.cpp::clone_compile_output': ALT_LOADER,
  'test_enable_rule.cpp::enable_rule_name': ENABLE_API,
  'test_enable_rule.cpp::enable_rule_tags': ENABLE_API,
  'test_enable_rule.cpp::enable_disabled_rule_by_tag': ENABLE_API,
  'test_enable_rule.cpp::enable_rule_id': ENABLE_API,
  'test_enable_rule.cpp::enable_rule_name_exact': ENABLE_API,
  'test_enable_rule.cpp::enable_rule_name_wildcard': ENABLE_API,
  'test_filter_macro_resolver.cpp::should_resolve_macros_on_a_filter_AST': MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_resolve_macros_on_a_filter_AST_single_node':
    MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_resolve_macros_on_a_filter_AST_multiple_macros':
    MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_resolve_macros_on_a_filter_AST_nested_macros':
    MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_find_unknown_macros': MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_find_unknown_nested_macros': MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_undefine_macro': MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_clone_macro_AST': MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_not_resolve_macro_inside_field_transformer':
    MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_not_resolve_macro_inside_multi_value_transformer':
    MACRO_RESOLVER,
  'test_filter_macro_resolver.cpp::should_not_resolve_macro_inside_transformer_list':
    MACRO_RESOLVER,
  'test_filter_warning_resolver.cpp::warnings_with_transformer_wrapping_unsafe_field':
    'builds `tolower(ka.field) = <NA>` as a C++ AST; the same check is asserted in load-errors.test.ts',
  'test_filter_warning_resolver.cpp::warnings_with_multi_value_transformer': AST_ONLY_WARNING,
  'test_filter_warning_resolver.cpp::no_crash_with_transformer_list': AST_ONLY_WARNING,
  TestFalco_Legacy_BuiltinRulesNoWarnings:
    "loads Falco's bundled syscall ruleset from the binary's install path; the case carries no rules text",
};

/** The reason to skip `c` (from the table; a case without rules text cannot run either). */
export function skipReasonFor(c: ValidationCase): string | undefined {
  const listed = CASE_SKIPS[c.title];
  if (listed !== undefined) return listed;
  const cppRunnable =
    c.title.startsWith('test_plugin_requirements.cpp::') ||
    c.title === 'test_filter_warning_resolver.cpp::warnings_in_filtering_conditions';
  if (c.files.length === 0 && !cppRunnable) {
    return c.hasCpp
      ? 'C++ engine-API test (resolver/ruleset/alternate-loader internals) with no rules YAML to load'
      : 'no rules YAML in the case';
  }
  return undefined;
}
