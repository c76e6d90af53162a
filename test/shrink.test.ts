// The build's nesting of boot-only functions, its inlining and its aliases of globals (tools/shrink-resident.ts), on
// small pieces of bundle text: run before and after, the code must do the same thing.
import assert from "node:assert/strict";
import { aliasGlobals, aliasNatives, chainAssignments, expressOnce, flattenBlocks, foldConstants, inlineCalls, nestInto, propagateCopies, shareStrings, wordLiterals } from "../tools/shrink-resident.ts";

const run = (code: string): unknown => new Function("return " + code)();

describe("build: nestInto", () => {
  const mod = "(function(){var API;function helper(x){return x+1}function deep(x){return helper(x)*2}function shared(x){return x}" +
    "function boot(s){s.a=deep(s.a);s.b=shared(s.b)}function api(s){return shared(s)}API={boot:boot,api:api};return API;})()";
  it("moves_what_only_the_root_calls_into_it_and_keeps_what_it_does", () => {
    const out = nestInto(mod, "boot");
    assert.deepEqual(out.nested, ["deep", "helper"]);
    assert.ok(out.code.includes("function boot(s){function helper(x)"), out.code);
    assert.ok(!/^\(function\(\)\{var API;function helper/.test(out.code), "no longer at the top level");
    assert.ok(out.code.includes("function shared(x)"), "called from elsewhere too: stays");
    const run = (code: string) => {
      const m = new Function("return " + code)() as { boot(s: { a: number; b: number }): void };
      const s = { a: 1, b: 5 };
      m.boot(s);
      return s;
    };
    assert.deepEqual(run(out.code), run(mod));
  });
  it("refuses_a_root_that_is_not_there", () => {
    assert.throws(() => nestInto(mod, "nothere"), /no top-level function nothere/);
  });
});

describe("build: inlineCalls", () => {
  it("writes_a_function_called_once_out_at_its_call_through_commas_doing_the_same", () => {
    const code = "(function(){var o={};function f(a,b){let c=a+b;o.x=c;for(let i=0;i<2;i++)o.x+=i}" +
      "function g(k,a){if(!k)return o;return o.y=a,f(k,a),o.z=3,k?(o.w=1):(o.w=2),o}return JSON.stringify(g(1,5))})()";
    const out = inlineCalls(code);
    assert.deepEqual(out.inlined, ["f"]);
    assert.doesNotMatch(out.code, /function f\(/, "the declaration is gone");
    assert.equal(run(out.code), run(code));
    assert.equal(run(out.code), '{"y":5,"x":7,"z":3,"w":1}');
  });

  it("puts_a_function_that_only_returns_an_expression_of_names_and_literals_in_place_of_its_call", () => {
    const code = "(function(){var o=7;function f(a,b){return{x:a,y:b.z,o}}function g(){let k={z:2};return JSON.stringify(f(1,k))}return g()})()";
    const out = inlineCalls(code);
    assert.deepEqual(out.inlined, ["f"]);
    assert.doesNotMatch(out.code, /function f\(/);
    assert.equal(run(out.code), '{"x":1,"y":2,"o":7}');
    // a short one at each of its calls, an argument read from a property when nothing is called
    const two = "(function(){function f(a){return a>0&&a<9}function g(){let k={z:1};return[f(k.z),f(12)].join()}return g()})()";
    const out2 = inlineCalls(two);
    assert.deepEqual(out2.inlined, ["f"]);
    assert.equal(run(out2.code), "true,false");
  });

  it("leaves_a_function_with_a_return_two_calls_a_shadowed_free_name_or_a_call_at_the_top_level", () => {
    const codes = [
      "(function(){function f(a){let b=a+1;return b}function g(){f(1);return 2}return g()})()",
      "(function(){function f(a){return Math.abs(a)}function g(){let k={z:1};return f(k.z)}return g()})()",
      "(function(){var o={};function f(a){o.a=a}function g(){f(1);f(2);return o.a}return g()})()",
      "(function(){var o={};function f(a){o.a=a}function g(){let o={};f(1);return o.a}return g()})()",
      "(function(){var o={};function f(a){let t=a;o.a=t}f(1);return o.a})()",
      "(function(){var o={};function f(a){let t;t=a;o.a=t}function g(){f(1);return o.a}return g()})()",
      // in a branch: written out there, its text would be read at every skip
      "(function(){var o={};function f(a){let t=a;o.a=t}function g(k){k&&(o.b=1,f(k));return o.a}return g(1)})()",
      "(function(){var o={};function f(a){let t=a;o.a=t}function g(k){if(k){f(k)}return o.a}return g(1)})()",
    ];
    for (const code of codes) {
      const out = inlineCalls(code);
      assert.deepEqual(out.inlined, [], code);
      assert.equal(out.code, code);
    }
  });
});

describe("build: aliasGlobals", () => {
  it("names_a_global_used_often_through_one_variable_and_keeps_what_it_does", () => {
    const code = '(function(){"use strict";var a=new Uint8Array(2),b=new Uint8Array(3),c=new Uint8Array(4),d=new Uint8Array(5),e=new Uint16Array(1);return a.length+b.length+c.length+d.length+e.length})()';
    const out = aliasGlobals(code, ["Uint8Array", "Uint16Array"], 10);
    assert.deepEqual(out.aliased, ["Uint8Array"], "four uses save more than 10 bytes; one use does not");
    assert.equal(out.code.match(/(?<![$\w])Uint8Array/g)!.length, 1, "the global is named once, in the alias");
    assert.match(out.code, /^\(function\(\)\{"use strict";var global\$Uint8Array=Uint8Array;/, "declared after the directive, before any use");
    assert.equal(run(out.code), 15);
  });

  it("leaves_a_name_some_scope_declares_itself_or_uses_in_shorthand", () => {
    const shadowed = "(function(){var n=new Uint8Array(1)+new Uint8Array(2)+new Uint8Array(3)+new Uint8Array(4);function f(Uint8Array){return Uint8Array}return f(7)})()";
    assert.deepEqual(aliasGlobals(shadowed, ["Uint8Array"], 0).aliased, []);
    const shorthand = "(function(){var n=[Uint8Array,Uint8Array,Uint8Array,Uint8Array];return {Uint8Array}})()";
    assert.deepEqual(aliasGlobals(shorthand, ["Uint8Array"], 0).aliased, []);
  });
});

describe("build: aliasNatives", () => {
  it("calls_a_static_built_in_through_one_variable_declared_first_and_keeps_what_it_does", () => {
    const code = '(function(){"use strict";var a=[3,1,2];return[Math.max(1,2),Math.max.apply(null,a),Math.min(4,5),Math.round(2.5),Math.abs(-1)]})()';
    const out = aliasNatives(code, ["Math.max", "Math.min", "Math.round", "E.sum"]);
    assert.deepEqual(out.aliased, ["Math.max", "Math.min", "Math.round"], "E.sum is not used: no alias");
    assert.match(out.code, /^\(function\(\)\{"use strict";var native\$Math\$max=Math\.max,native\$Math\$min=Math\.min,native\$Math\$round=Math\.round;var a/);
    assert.equal(out.code.match(/Math\.max/g)!.length, 1, "named once, in the alias");
    assert.match(out.code, /Math\.abs\(-1\)/, "a member not listed is left as it is");
    assert.deepEqual(run(out.code), run(code));
  });

  it("leaves_a_member_whose_object_some_scope_declares_or_that_is_written", () => {
    const shadowed = "(function(){function f(Math){return Math.max(1,2)}return f({max:()=>7})+Math.max(1,2)})()";
    assert.deepEqual(aliasNatives(shadowed, ["Math.max"]).aliased, []);
    const written = "(function(){Math.max=function(){return 9};return Math.max(1,2)})()";
    assert.deepEqual(aliasNatives(written, ["Math.max"]).aliased, []);
  });
});

describe("build: expressOnce", () => {
  it("writes_a_function_and_a_class_used_once_at_the_top_level_in_place_and_keeps_what_it_does", () => {
    const code = "(function(){var k=2;function make(a,b){let t=a*k;return{get:()=>t+b}}var Box=class{constructor(x){this.x=x}get2(){return this.x*2}};var h=make(3,1),b=new Box(h.get());return[h.get(),b.get2()]})()";
    const out = expressOnce(code);
    assert.deepEqual(out.expressed, ["Box", "make"]);
    assert.doesNotMatch(out.code, /function make|Box/, "no name left in the wrapper");
    assert.match(out.code, /h=\(function\(a,b\)\{/);
    assert.match(out.code, /new \(class\{/);
    assert.deepEqual(run(out.code), run(code));
  });

  it("writes_two_classes_of_one_declaration_in_place_and_keeps_the_rest_of_it", () => {
    const code = "(function(){var A=class{v(){return 1}},k=5,B=class{v(){return 2}};var a=new A(),b=new B();return[a.v(),b.v(),k]})()";
    const out = expressOnce(code);
    assert.deepEqual(out.expressed, ["A", "B"]);
    assert.match(out.code, /^\(function\(\)\{var k=5;var a=/);
    assert.deepEqual(run(out.code), run(code));
  });

  it("leaves_what_is_used_twice_passed_on_or_used_inside_a_function", () => {
    const codes = [
      "(function(){function f(a){return a+1}return f(1)+f(2)})()",
      "(function(){function f(a){return a+1}var g=f;return g(1)})()",
      "(function(){function f(a){return a+1}function g(){return f(1)}return g()+g()})()",
      "(function(){var C=class{constructor(){this.v=1}};function g(){return new C().v}return g()+g()})()",
    ];
    for (const code of codes) {
      const out = expressOnce(code);
      assert.deepEqual(out.expressed, [], code);
      assert.equal(out.code, code);
    }
  });
});

describe("build: wordLiterals", () => {
  it("writes_the_minifiers_short_forms_of_true_false_and_undefined_as_the_words_and_keeps_what_the_code_does", () => {
    const code = '(function(){var a=!0,b=!1,c=void 0,d=!0 .toString(),e="!0 void 0",f=!!0,g=!2,h=void 1;return[a,b,c,d,e,f,g,h]})()';
    const out = wordLiterals(code);
    assert.equal(out.replaced, 5, "!0, !1, void 0, the inner !0 of !!0, void 1");
    assert.equal(out.code, '(function(){var a=true,b=false,c=undefined,d=!0 .toString(),e="!0 void 0",f=!true,g=!2,h=undefined;return[a,b,c,d,e,f,g,h]})()');
    assert.deepEqual(run(out.code), run(code));
  });

  it("keeps_a_space_between_the_word_and_a_keyword_or_name_next_to_it", () => {
    const code = "(function(){function f(x){if(x)return!1;return void 0}function g(x){switch(x){case!0:return!0}}return[f(1),f(0),g(true)]})()";
    const out = wordLiterals(code);
    assert.equal(out.code, "(function(){function f(x){if(x)return false;return undefined}function g(x){switch(x){case true:return true}}return[f(1),f(0),g(true)]})()");
    assert.deepEqual(run(out.code), [false, undefined, true]);
  });
});

describe("build: foldConstants", () => {
  it("writes_arithmetic_on_literals_as_its_value_where_that_stores_in_no_more_bytes_and_keeps_what_the_code_does", () => {
    const code = "(function(){var h=3<<18,a=h&(1<<18|1<<19|1<<21|1<<24),b=1<<20,c=(1<<3).toString(),d=2-5,e=h&(1<<3),f=1/3;return[a,b,c,d,e,f]})()";
    const out = foldConstants(code);
    // 3<<18 and 1<<20 are 5 bytes stored, 786432 six and 1048576 seven: kept; a negative or a
    // fraction is kept as written; an expression a member is read from keeps its parentheses
    assert.equal(out.code, "(function(){var h=3<<18,a=h&19660800,b=1<<20,c=(8).toString(),d=2-5,e=h&8,f=1/3;return[a,b,c,d,e,f]})()");
    assert.equal(out.folded, 3);
    assert.deepEqual(run(out.code), run(code));
  });

  it("keeps_a_space_between_the_value_and_a_keyword_next_to_it", () => {
    const code = "(function(){function f(x){switch(x){case 1<<2:return 2|1}}return f(4)})()";
    const out = foldConstants(code);
    assert.equal(out.code, "(function(){function f(x){switch(x){case 4:return 3}}return f(4)})()");
    assert.equal(run(out.code), 3);
  });
});

describe("build: flattenBlocks", () => {
  it("takes_the_braces_off_a_block_whose_names_meet_nothing_around_it_and_keeps_what_the_code_does", () => {
    const code = "(function(){function f(a){{let b=a+1;{let c=b*2;a=c}if(a)a++}return a}function g(){{let x=1;{let y=x+1;x=y}}return 3}return[f(1),f(-1),g()]})()";
    const out = flattenBlocks(code);
    assert.equal(out.code, "(function(){function f(a){let b=a+1;let c=b*2;a=c;if(a)a++;return a}function g(){let x=1;let y=x+1;x=y;return 3}return[f(1),f(-1),g()]})()");
    assert.equal(out.flattened, 4);
    assert.deepEqual(run(out.code), run(code));
  });

  it("counts_a_members_or_keys_name_as_no_variable", () => {
    const code = "(function(){function f(o){{let r=o.r+1;o.q=r}return{r:o.r,q:o.q}}return f({r:1})})()";
    const out = flattenBlocks(code);
    assert.equal(out.code, "(function(){function f(o){let r=o.r+1;o.q=r;return{r:o.r,q:o.q}}return f({r:1})})()");
    assert.deepEqual(run(out.code), run(code));
  });

  it("keeps_a_block_whose_name_the_enclosing_block_declares_uses_or_binds_and_one_that_declares_a_function", () => {
    const cases = [
      // declared beside it
      "(function(){function f(){let e=1;{let e=2;e++}return e}return f()})()",
      // used outside it: the outer e would become the block's
      "(function(){var e=5;function f(){{let e=2;e++}return e}return f()})()",
      // a parameter of the function whose body holds it
      "(function(){function f(e){{let e=2;e++}return e}return f(7)})()",
      // a catch's name and a loop's let
      "(function(){function f(){try{throw 1}catch(e){{let e=2;e++}return e}}return f()})()",
      "(function(){function f(){let s=0;for(let i=0;i<3;i++){{let i=9;s+=i}}return s}return f()})()",
      // a function declared in a block is scoped by it
      "(function(){function f(){{function h(){return 1}}return typeof h}return f()})()",
      // a shorthand key is a use of the variable
      "(function(){var r=5;function f(){{let r=2;r++}return{r}}return f()})()",
      // two blocks with one name: each name appears in the other (the safe side: both stay)
      "(function(){function f(){{let e=1;var a=e}{let e=2;a+=e}return a}return f()})()",
    ];
    for (const code of cases) {
      const out = flattenBlocks(code);
      assert.equal(out.code, code, code);
      assert.equal(out.flattened, 0);
    }
  });
});

describe("build: shareStrings", () => {
  it("holds_a_string_written_often_enough_in_one_variable_and_keeps_what_the_code_does", () => {
    const code = '(function(){"use strict";function f(a,b,c){return[typeof a=="number",typeof b=="number",typeof c=="number",typeof a=="string"]}' +
      'var o={"number":1,number:2};return[f(1,"x",3),o.number,"ab","ab"]})()';
    const out = shareStrings(code, 4);
    // "number" 3 times: 8 B stored each, 3 bytes with a name, the variable 10: 11 B less. "string" once,
    // "ab" twice (4 B each): 2 B less, not more than 4. Keys and the directive are names, not values
    assert.deepEqual(out.shared, ["number"]);
    assert.equal(out.code, '(function(){"use strict";var string$0="number";function f(a,b,c){return[typeof a==string$0,typeof b==string$0,typeof c==string$0,typeof a=="string"]}' +
      'var o={"number":1,number:2};return[f(1,"x",3),o.number,"ab","ab"]})()');
    assert.deepEqual(run(out.code), run(code));
  });
});

describe("build: chainAssignments", () => {
  it("writes_a_run_of_fields_set_to_one_literal_as_one_chain_that_makes_them_in_the_same_order", () => {
    const code = "(function(){class A{constructor(x){this.a=0,this.b=0,this.c=x,this.d=-1,this.e=-1,this.f=0,this.g=!0,this.h=!0}}" +
      "var o=new A(5),p={};return[Object.keys(o),o.a,o.b,o.c,o.d,o.e,o.f,o.g,o.h,(p.q=0,p.r=0,p)]})()";
    const out = chainAssignments(code);
    assert.equal(out.code, "(function(){class A{constructor(x){this.b=this.a=0,this.c=x,this.e=this.d=-1,this.f=0,this.h=this.g=!0}}" +
      "var o=new A(5),p={};return[Object.keys(o),o.a,o.b,o.c,o.d,o.e,o.f,o.g,o.h,(p.q=0,p.r=0,p)]})()");
    assert.equal(out.chained, 3);
    assert.deepEqual(run(out.code), run(code), "the same values, the fields made in the same order");
  });

  it("chains_a_field_set_to_a_literal_that_came_earlier_in_the_run_with_the_first_of_them", () => {
    const code = "(function(){class A{constructor(x){this.a=0,this.b=1,this.c=0,this.d=x,this.e=0}}var o=new A(5);return[Object.keys(o),o.a,o.b,o.c,o.d,o.e]})()";
    const out = chainAssignments(code);
    assert.equal(out.code, "(function(){class A{constructor(x){this.c=this.a=0,this.b=1,this.d=x,this.e=0}}var o=new A(5);return[Object.keys(o),o.a,o.b,o.c,o.d,o.e]})()");
    assert.equal(out.chained, 1);
    // the same values; c is made before b now, and nothing crosses the non-literal d
    assert.deepEqual(run(out.code), [["a", "c", "b", "d", "e"], 0, 1, 0, 5, 0]);
    assert.deepEqual((run(code) as unknown[]).slice(1), [0, 1, 0, 5, 0]);
  });
});

describe("build: propagateCopies", () => {
  it("writes_a_copy_that_can_only_hold_what_its_original_holds_as_the_original_and_keeps_what_the_code_does", () => {
    const code = "(function(){class A{constructor(){this.v=2}m(t){let s=this,i=t,h=s.v;return i*h+s.v}n(t){let a=t;return a+1}}" +
      "var o=new A;return[o.m(3),o.n(4)]})()";
    const out = propagateCopies(code);
    assert.equal(out.code, "(function(){class A{constructor(){this.v=2}m(t){let h=this.v;return t*h+this.v}n(t){return t+1}}" +
      "var o=new A;return[o.m(3),o.n(4)]})()");
    assert.equal(out.propagated, 3);
    assert.deepEqual(run(out.code), run(code));
  });

  it("keeps_a_copy_whose_original_or_itself_is_written_declared_again_shared_or_a_this_of_another_function", () => {
    const cases = [
      // the original written after the copy: the copy keeps the old value
      "(function(){function f(t){let a=t;t++;return a}return f(1)})()",
      // the copy written
      "(function(){function f(t){let a=t;a++;return[a,t]}return f(1)})()",
      // the original declared again inside the block
      "(function(){function f(t){let a=t;{let t=5;return a+t}}return f(1)})()",
      // the original is not the function's own (another function may write it)
      "(function(){var g=1;function f(){let a=g;h();return a}function h(){g=2}return f()})()",
      // a shorthand key
      "(function(){function f(t){let a=t;return{a}}return f(1).a})()",
      // `this` inside a function of its own
      "(function(){class A{m(){let s=this;return function(){return s}}}var o=new A;return o.m()()===o})()",
      // the original is another function's, though a sibling block declares the name
      "(function(){var t=1;function f(){{let t=5;h(t)}{let a=t;g();return a}}function g(){t=2}function h(){}return f()})()",
      // a loop that writes the original
      "(function(){function f(t){let a=t;for(t in{x:1});return a}return f(1)})()",
    ];
    for (const code of cases) {
      const out = propagateCopies(code);
      assert.equal(out.code, code, code);
      assert.equal(out.propagated, 0);
    }
  });
});
