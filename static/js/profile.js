// The profile form, improved when scripts run: the district list offers only the districts
// of the chosen region, and follows the region when it changes. Without this script the
// list shows every district grouped by region, and the server refuses a district of
// another region.
(function () {
  "use strict";
  var region = document.getElementById("id_region");
  var district = document.getElementById("id_district");
  if (!region || !district) return;

  var placeholder = district.querySelector('option[value=""]');
  var groups = Array.prototype.slice.call(district.children).filter(function (node) {
    return node.tagName === "OPTGROUP";
  });
  var options = Array.prototype.slice.call(district.querySelectorAll("option[data-region]"));

  function offer() {
    var chosen = district.value;
    while (district.firstChild) district.removeChild(district.firstChild);
    if (placeholder) district.appendChild(placeholder);
    if (region.value) {
      options.forEach(function (option) {
        if (option.dataset.region === region.value) district.appendChild(option);
      });
    } else {
      groups.forEach(function (group) {
        options.forEach(function (option) {
          if (option.dataset.group === group.label) group.appendChild(option);
        });
        district.appendChild(group);
      });
    }
    var still = district.querySelector('option[value="' + chosen + '"]');
    district.value = still ? chosen : "";
  }

  options.forEach(function (option) {
    option.dataset.group = option.parentNode.label;
  });
  region.addEventListener("change", offer);
  offer();
})();
