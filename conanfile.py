# Conan 2 recipe for greentrain, written from Conan 2's reference documentation (not run here: Conan
# is not installable on the project's machines). Each option maps to one CMake option;
# tests/packaging/check_options.py fails when the two lists drift apart.
from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load
import os
import re


class GreentrainConan(ConanFile):
    name = "greentrain"
    description = "Measure, reduce and report the energy and CO2 of C++ training code"
    topics = ("energy", "carbon", "emissions", "training", "onednn")
    settings = "os", "arch", "compiler", "build_type"
    package_type = "library"

    # Conan option -> CMake option, one to one.
    _cmake_options = {
        "with_regions": "GREENTRAIN_WITH_REGIONS",
        "with_trainer": "GREENTRAIN_WITH_TRAINER",
        "with_server": "GREENTRAIN_WITH_SERVER",
        "with_mpi": "GREENTRAIN_WITH_MPI",
        "tools": "GREENTRAIN_BUILD_TOOLS",
    }
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_regions": [True, False],
        "with_trainer": [True, False],
        "with_server": [True, False],
        "with_mpi": [True, False],
        "tools": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_regions": True,
        "with_trainer": True,
        "with_server": True,
        "with_mpi": False,
        "tools": False,
    }
    exports_sources = ("CMakeLists.txt", "cmake/*", "src/*", "include/*", "data/*", "tools/*")

    def set_version(self):
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(greentrain VERSION (\S+)", text).group(1)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        self.requires("fmt/[>=9 <12]")
        self.requires("simdjson/[>=3]")
        self.requires("tomlplusplus/[>=3]")
        # The JSON writer: header-only, compiled into the library, not needed by its users.
        self.requires("nlohmann_json/[>=3]", visible=False)
        if self.options.with_regions or self.options.with_server:
            self.requires("boost/[>=1.74]")
        if self.options.with_regions:
            self.requires("openssl/[>=1.1 <4]")
        if self.options.with_trainer:
            # oneDNN is not on ConanCenter: CMake's find_package(dnnl) finds the system's.
            self.requires("onetbb/[>=2021]")
            self.requires("zlib/[>=1.2]")
        if self.options.with_mpi:
            self.requires("openmpi/[>=4]")

    def validate(self):
        check_min_cppstd(self, 20)
        if self.options.with_mpi and not self.options.with_trainer:
            raise ConanInvalidConfiguration("greentrain: with_mpi trains over MPI, so it needs with_trainer")

    def generate(self):
        toolchain = CMakeToolchain(self)
        for option, cmake_option in self._cmake_options.items():
            toolchain.cache_variables[cmake_option] = bool(self.options.get_safe(option))
        toolchain.cache_variables["GREENTRAIN_BUILD_TESTS"] = False
        toolchain.cache_variables["GREENTRAIN_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["GREENTRAIN_BUILD_BENCHMARKS"] = False
        toolchain.cache_variables["GREENTRAIN_INSTALL"] = True
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSES.md", os.path.join(self.source_folder, "data"),
             os.path.join(self.package_folder, "licenses"))
        CMake(self).install()

    def package_info(self):
        # The same names as find_package(greentrain) on an installed prefix.
        self.cpp_info.set_property("cmake_file_name", "greentrain")
        self.cpp_info.set_property("pkg_config_name", "greentrain")

        core = self.cpp_info.components["tracker"]
        core.set_property("cmake_target_name", "greentrain::greentrain")
        core.set_property("cmake_target_aliases", ["greentrain::tracker"])
        core.libs = ["greentrain"]
        core.requires = ["fmt::fmt", "simdjson::simdjson", "tomlplusplus::tomlplusplus"]
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread", "dl"]

        if self.options.with_regions:
            regions = self.cpp_info.components["regions"]
            regions.set_property("cmake_target_name", "greentrain::regions")
            regions.libs = ["greentrain_regions"]
            regions.requires = ["tracker", "boost::headers", "openssl::ssl", "openssl::crypto"]
        if self.options.with_trainer:
            trainer = self.cpp_info.components["trainer"]
            trainer.set_property("cmake_target_name", "greentrain::trainer")
            trainer.libs = ["greentrain_trainer"]
            trainer.requires = ["tracker", "onetbb::onetbb", "zlib::zlib"]
            trainer.system_libs = ["dnnl", "gomp"]
        if self.options.with_server:
            server = self.cpp_info.components["server"]
            server.set_property("cmake_target_name", "greentrain::server")
            server.libs = ["greentrain_server"]
            server.requires = ["tracker", "boost::headers"]
        if self.options.with_mpi:
            mpi = self.cpp_info.components["mpi"]
            mpi.set_property("cmake_target_name", "greentrain::mpi")
            mpi.libs = ["greentrain_mpi"]
            mpi.requires = ["trainer", "openmpi::openmpi"]
        if self.options.tools:
            self.buildenv_info.prepend_path("PATH", os.path.join(self.package_folder, "bin"))
